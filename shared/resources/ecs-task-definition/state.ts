/** Placeholder: the ECS task-definition work replaces this with the real state. */
export interface EcsTaskDefinitionState {
  family: string;
  tags?: Record<string, string>;
}

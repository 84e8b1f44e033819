/** Placeholder: the Lambda work replaces this with the real state. */
export interface LambdaFunctionState {
  functionName: string;
  tags?: Record<string, string>;
}

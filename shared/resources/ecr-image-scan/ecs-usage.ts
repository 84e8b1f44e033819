import type { ECSClient } from "@aws-sdk/client-ecs";
import { loadEcs } from "../../aws/sdk";
import type { EcsUsage } from "./state";

/** ECS calls one lookup may make (ListClusters, ListTasks, DescribeTasks pages together). */
export const MAX_ECS_CALLS = 40;

class CallBudget {
  used = 0;
  constructor(private readonly limit: number) {}
  take(): boolean {
    if (this.used >= this.limit) return false;
    this.used++;
    return true;
  }
}

/** `true` when the container runs exactly this image (ECS records the digest it pulled). */
function runsImage(container: { image?: string; imageDigest?: string }, digest: string): boolean {
  return container.imageDigest === digest || container.image?.endsWith(`@${digest}`) === true;
}

/**
 * Whether any RUNNING (or about to run) ECS task in this region runs the image: ListClusters ->
 * ListTasks(desiredStatus RUNNING) -> DescribeTasks, within a call budget. Stops at the first match.
 * Errors propagate: the caller decides that a failed lookup bumps nothing.
 */
export async function ecsUsageOf(ecs: ECSClient, digest: string, limit = MAX_ECS_CALLS): Promise<EcsUsage> {
  const { ListClustersCommand, ListTasksCommand, DescribeTasksCommand } = await loadEcs();
  const budget = new CallBudget(limit);
  const exhausted = (): EcsUsage => ({
    status: "unknown",
    reason: `lookup stopped after ${budget.used} ECS calls before every running task was checked`,
  });
  const clusters: string[] = [];
  let clusterToken: string | undefined;
  do {
    if (!budget.take()) return exhausted();
    const page = await ecs.send(
      new ListClustersCommand({ ...(clusterToken ? { nextToken: clusterToken } : {}) }),
    );
    clusters.push(...(page.clusterArns ?? []));
    clusterToken = page.nextToken;
  } while (clusterToken);

  for (const cluster of clusters) {
    let taskToken: string | undefined;
    do {
      if (!budget.take()) return exhausted();
      const page = await ecs.send(
        new ListTasksCommand({
          cluster,
          desiredStatus: "RUNNING",
          maxResults: 100,
          ...(taskToken ? { nextToken: taskToken } : {}),
        }),
      );
      taskToken = page.nextToken;
      const taskArns = page.taskArns ?? [];
      if (!taskArns.length) continue;
      if (!budget.take()) return exhausted();
      const described = await ecs.send(new DescribeTasksCommand({ cluster, tasks: taskArns }));
      for (const task of described.tasks ?? []) {
        const container = task.containers?.find((c) => runsImage(c, digest));
        if (container)
          return {
            status: "running",
            cluster,
            taskArn: task.taskArn ?? "unknown",
            ...(container.name ? { container: container.name } : {}),
          };
      }
    } while (taskToken);
  }
  return { status: "not-running", clustersChecked: clusters.length };
}

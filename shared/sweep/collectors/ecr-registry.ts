import type { Observation } from "../../resources/adapter";
import registryAdapter, {
  ECR_REGISTRY_TYPE,
  ecrRegistryReadActions,
  registryRef,
} from "../../resources/ecr-registry/adapter";
import { defineCollector, type CollectContext } from "../collector";

/**
 * The Region's private registry: one observation per unit, read exactly as the event path's
 * refresh reads it (the scanning configuration, and every repository's scan-on-push flag when the
 * rules don't scan every repository), so both paths state the same thing.
 */
export default defineCollector({
  resourceType: ECR_REGISTRY_TYPE,
  scope: "regional",
  iamActions: ecrRegistryReadActions,
  async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::ECR::Registry">> {
    const observation: Observation<"AWS::ECR::Registry"> = {
      resource: registryRef(ctx.account, ctx.region),
      // The refresh replaces the scanning with what the registry says.
      state: { registryId: ctx.account, scanning: { scanType: "BASIC", rules: [] } },
      complete: false,
      observedAt: ctx.now.toISOString(),
      // Registries carry no tags: only config exemptions apply.
      tagsKnown: true,
      needsRefresh: true,
    };
    if (!registryAdapter.refresh) throw new Error("the ECR registry adapter has no refresh");
    const read = await registryAdapter.refresh(observation, ctx.clients, { config: ctx.config });
    yield { ...read, needsRefresh: false };
  },
});

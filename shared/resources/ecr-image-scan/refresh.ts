import { judgeImage, type VulnerabilityPolicy } from "../../checks/image-scan/vulnerability-policy";
import type { CheckContext } from "../../checks/define";
import { vigilConfigSchema } from "../../config/schema";
import { logger } from "../../log";
import type { Observation, ReadClients } from "../adapter";
import { readBasicFindings } from "./basic-findings";
import { ecsUsageOf } from "./ecs-usage";
import { readInspectorFindings } from "./inspector-findings";
import { imageScanRef } from "./ref";
import type { EcrImageScanState, EcsUsage } from "./state";

type ScanObservation = Observation<"AWS::ECR::ImageScan">;

/** The thresholds when the caller passes no configuration (see `refreshImageScan`). */
const DEFAULT_POLICY: VulnerabilityPolicy = vigilConfigSchema.parse({}).containers.vulnerabilities;

/** Where the image runs; a failed lookup is logged and raises nothing (the finding stands on its own). */
async function usageOf(clients: ReadClients, state: EcrImageScanState, resource: string): Promise<EcsUsage> {
  try {
    return await ecsUsageOf(await clients.ecs(), state.imageDigest);
  } catch (error) {
    const name = (error as { name?: string } | undefined)?.name ?? "Error";
    logger.warn("could not look up whether the image runs in ECS; severity not raised", {
      resource,
      error: error as Error,
    });
    return { status: "unknown", reason: `ECS lookup failed (${name})` };
  }
}

/**
 * Reads the image's whole current list from its scanner: that list, not the event, is the truth,
 * so a clean rescan resolves. A scan that is not usable (in progress, failed, none) changes nothing.
 * When the image violates, looks up whether it runs in ECS (which raises the severity).
 *
 * `context` carries the thresholds that decide whether the ECS lookup is worth its calls; the
 * pipeline does not pass it yet, so the defaults decide until it does.
 */
export async function refreshImageScan(
  observation: ScanObservation,
  clients: ReadClients,
  context?: CheckContext,
): Promise<ScanObservation> {
  const state = observation.state;
  if (!state) return observation;
  const at = {
    registryId: state.registryId,
    repositoryName: state.repositoryName,
    imageDigest: state.imageDigest,
  };
  const listing =
    state.scanner === "basic"
      ? await readBasicFindings(await clients.ecr(), at)
      : await readInspectorFindings(await clients.inspector2(), at);
  const readAt = new Date().toISOString();
  const done = { ...observation, needsRefresh: false };
  // The image is gone: nothing of it is left to be vulnerable.
  if (listing.kind === "gone") return { ...done, complete: true, observedAt: readAt, state: undefined };
  // Partial view, no list: checks find nothing and nothing is opened or resolved.
  if (listing.kind === "not-ready")
    return { ...done, complete: false, state: { ...state, scanStatus: listing.status } };

  const imageTags = state.imageTags.length ? state.imageTags : [...(listing.imageTags ?? [])].sort();
  const next: EcrImageScanState = {
    ...state,
    imageTags,
    scanStatus: "COMPLETE",
    readAt,
    counts: listing.counts,
    vulnerabilities: listing.vulnerabilities,
    ...(listing.truncated ? { truncated: true } : {}),
  };
  const policy = context?.config.containers.vulnerabilities ?? DEFAULT_POLICY;
  if (judgeImage(next, policy, new Date(readAt)).opening.length)
    next.ecsUsage = await usageOf(clients, next, observation.resource.id);
  const { region } = observation.resource;
  return {
    ...done,
    resource: imageScanRef(state.registryId, region, state.repositoryName, state.imageDigest, imageTags),
    state: next,
    // A list cut at its page bound can open a finding but never say the image is clean.
    complete: !listing.truncated,
    observedAt: readAt,
  };
}

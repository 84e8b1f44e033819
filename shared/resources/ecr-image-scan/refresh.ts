import { judgeImage, type VulnerabilityPolicy } from "../../checks/image-scan/vulnerability-policy";
import type { CheckContext } from "../../checks/define";
import { vigilConfigSchema } from "../../config/schema";
import { errorName } from "../../aws/errors";
import { logger } from "../../log";
import type { Observation, ReadClients } from "../adapter";
import { readBasicFindings, readScanStatus, type ImageLocation, type ScanListing } from "./basic-findings";
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
    const name = errorName(error) || "Error";
    logger.warn("could not look up whether the image runs in ECS; severity not raised", {
      resource,
      error: error as Error,
    });
    return { status: "unknown", reason: `ECS lookup failed (${name})` };
  }
}

/**
 * The image's current list from its scanner. Inspector closes an image's findings when it stops
 * watching it (re-scan duration over, image no longer supported), so an empty Inspector list is
 * taken as clean only when ECR says the image's scan is current.
 */
async function readListing(
  scanner: EcrImageScanState["scanner"],
  clients: ReadClients,
  at: ImageLocation,
): Promise<ScanListing> {
  if (scanner === "basic") return readBasicFindings(await clients.ecr(), at);
  const listing = await readInspectorFindings(await clients.inspector2(), at);
  if (listing.kind !== "listed" || listing.vulnerabilities.length || listing.truncated) return listing;
  const scan = await readScanStatus(await clients.ecr(), at);
  return scan.kind === "usable" ? listing : scan;
}

/**
 * Reads the image's whole current list from its scanner: that list, not the event, is the truth,
 * so a clean rescan resolves. A scan that is not usable (in progress, failed, expired, none)
 * changes nothing. When the image violates, looks up whether it runs in ECS (which raises the
 * severity); the checks' thresholds (`context`, the defaults without one) decide whether it does.
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
  const listing = await readListing(state.scanner, clients, at);
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

import { z } from "zod";
import type { Envelope } from "../../events/envelope";
import { UnusableEventError, type Observation } from "../adapter";
import { parseRepositoryArn } from "../ecr-repository/ref";
import { imageScanRef } from "./ref";
import type { EcrImageScanState, ImageScanner } from "./state";

export const BASIC_SCAN_DETAIL_TYPE = "ECR Image Scan";
export const INSPECTOR_FINDING_DETAIL_TYPE = "Inspector2 Finding";
export const INSPECTOR_SCAN_DETAIL_TYPE = "Inspector2 Scan";
/** The Inspector resource type of an ECR image; findings on EC2 instances or Lambda functions are not ours. */
export const ECR_IMAGE_RESOURCE_TYPE = "AWS_ECR_CONTAINER_IMAGE";
/** The only Inspector2 Scan status that says an image's findings are ready. */
export const INITIAL_SCAN_COMPLETE = "INITIAL_SCAN_COMPLETE";

type ScanObservation = Observation<"AWS::ECR::ImageScan">;

const digest = z.string().regex(/^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/, "a sha256 image digest");
const tags = z.array(z.string()).nullable().optional();

/** `detail` of ECR's "ECR Image Scan" and Inspector's "Inspector2 Scan" (kebab-case keys, as sent). */
const scanDetailSchema = z.looseObject({
  "scan-status": z.string().min(1),
  "repository-name": z.string().min(1),
  "image-digest": digest,
  "image-tags": tags,
  // Zero counts are absent from ECR's events; the counts are re-read anyway.
  "finding-severity-counts": z.record(z.string(), z.number()).nullable().optional(),
});

const ecrImageDetailsSchema = z.looseObject({
  repositoryName: z.string().min(1),
  imageHash: digest,
  registry: z.string().min(1).optional(),
  imageTags: tags,
});

const inspectorFindingSchema = z.looseObject({
  findingArn: z.string().min(1),
  awsAccountId: z.string().optional(),
  // Dates (`Tue Mar 18 11:49:02.127 UTC 2025`) and the CVE details are not read: the list is.
  resources: z
    .array(
      z.looseObject({
        type: z.string(),
        id: z.string(),
        region: z.string().optional(),
        details: z.looseObject({ awsEcrContainerImage: z.unknown().optional() }).nullable().optional(),
      }),
    )
    .min(1),
});

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new UnusableEventError(`${what} detail: ${z.prettifyError(result.error).replace(/\n/g, "; ")}`);
  return result.data;
}

/** Inspector's resource id of an image: `<repository ARN>/sha256:<hex>`. */
function parseImageArn(
  id: string,
): (NonNullable<ReturnType<typeof parseRepositoryArn>> & { imageDigest: string }) | undefined {
  const at = id.lastIndexOf("/sha256:");
  const repository = at > 0 ? parseRepositoryArn(id.slice(0, at)) : undefined;
  const imageDigest = id.slice(at + 1);
  return repository && digest.safeParse(imageDigest).success ? { ...repository, imageDigest } : undefined;
}

interface ImageAt {
  registryId: string;
  region: string;
  repositoryName: string;
  imageDigest: string;
  imageTags: string[];
}

function observe(image: ImageAt, scanner: ImageScanner, observedAt: string): ScanObservation {
  const imageTags = [...new Set(image.imageTags.map((t) => t.trim()).filter(Boolean))].sort();
  const state: EcrImageScanState = {
    registryId: image.registryId,
    repositoryName: image.repositoryName,
    imageDigest: image.imageDigest,
    imageTags,
    scanner,
    scanStatus: "PENDING_READ",
    counts: {},
    vulnerabilities: [],
  };
  return {
    resource: imageScanRef(
      image.registryId,
      image.region,
      image.repositoryName,
      image.imageDigest,
      imageTags,
    ),
    state,
    // The event only says a scan finished (or one CVE changed): the whole list is read before judging.
    complete: false,
    observedAt,
    tagsKnown: false,
    needsRefresh: true,
  };
}

/** ECR basic scanning finished. Anything but COMPLETE (FAILED, UNSUPPORTED_IMAGE, …) changes nothing. */
function fromBasicScan(envelope: Envelope): ScanObservation[] {
  const detail = parse(scanDetailSchema, envelope.detail, BASIC_SCAN_DETAIL_TYPE);
  if (detail["scan-status"] !== "COMPLETE") return [];
  const image = {
    registryId: envelope.account,
    region: envelope.region,
    repositoryName: detail["repository-name"],
    imageDigest: detail["image-digest"],
    imageTags: detail["image-tags"] ?? [],
  };
  return [observe(image, "basic", envelope.time)];
}

/** Inspector's initial scan of an image finished; its `repository-name` is the repository's ARN. */
function fromInspectorScan(envelope: Envelope): ScanObservation[] {
  const detail = parse(scanDetailSchema, envelope.detail, INSPECTOR_SCAN_DETAIL_TYPE);
  if (detail["scan-status"] !== INITIAL_SCAN_COMPLETE) return [];
  const arn = parseRepositoryArn(detail["repository-name"]);
  const image = {
    registryId: arn?.registryId ?? envelope.account,
    region: arn?.region ?? envelope.region,
    repositoryName: arn?.repositoryName ?? detail["repository-name"],
    imageDigest: detail["image-digest"],
    imageTags: detail["image-tags"] ?? [],
  };
  return [observe(image, "inspector", envelope.time)];
}

type InspectorFinding = z.infer<typeof inspectorFindingSchema>;

function imageOf(
  resource: InspectorFinding["resources"][number],
  finding: InspectorFinding,
  envelope: Envelope,
) {
  const details = ecrImageDetailsSchema.safeParse(resource.details?.awsEcrContainerImage);
  const arn = parseImageArn(resource.id);
  const region = resource.region ?? arn?.region ?? envelope.region;
  if (details.success) {
    const d = details.data;
    const registryId = d.registry ?? arn?.registryId ?? finding.awsAccountId ?? envelope.account;
    return {
      registryId,
      region,
      repositoryName: d.repositoryName,
      imageDigest: d.imageHash,
      imageTags: d.imageTags ?? [],
    };
  }
  if (arn)
    return {
      registryId: arn.registryId,
      region,
      repositoryName: arn.repositoryName,
      imageDigest: arn.imageDigest,
      imageTags: [],
    };
  throw new UnusableEventError(
    `${INSPECTOR_FINDING_DETAIL_TYPE} ${finding.findingArn}: the ECR image resource names no repository and digest`,
  );
}

/**
 * One CVE on one image was found, updated or closed. Only ECR images are ours (findings on EC2
 * instances or Lambda functions yield nothing); the image's whole list is re-read, the event's
 * one finding is not the truth.
 */
function fromInspectorFinding(envelope: Envelope): ScanObservation[] {
  const finding = parse(inspectorFindingSchema, envelope.detail, INSPECTOR_FINDING_DETAIL_TYPE);
  // Normally one image; the same image listed twice is observed once.
  const images = new Map(
    finding.resources
      .filter((r) => r.type === ECR_IMAGE_RESOURCE_TYPE)
      .map((r) => imageOf(r, finding, envelope))
      .map((image) => [`${image.registryId}/${image.repositoryName}@${image.imageDigest}`, image]),
  );
  return [...images.values()].map((image) => observe(image, "inspector", envelope.time));
}

/** Scan results for one image, from ECR's or Inspector's events. */
export function fromScanEvent(envelope: Envelope): ScanObservation[] {
  switch (envelope["detail-type"]) {
    case BASIC_SCAN_DETAIL_TYPE:
      return fromBasicScan(envelope);
    case INSPECTOR_SCAN_DETAIL_TYPE:
      return fromInspectorScan(envelope);
    case INSPECTOR_FINDING_DETAIL_TYPE:
      return fromInspectorFinding(envelope);
    default:
      throw new UnusableEventError(`no image-scan reader for "${envelope["detail-type"]}" events`);
  }
}

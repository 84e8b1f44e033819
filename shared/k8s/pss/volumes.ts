import { z } from "zod";
import { elements, field, UNREADABLE } from "../lenient";
import { label } from "../spec";
import type { PodView } from "../spec";
import { PSS_CONTROLS } from "../types";
import { violation, type PssCheck } from "./check";

/**
 * Restricted: the volume sources a pod may use. `image` is not in the kubernetes.io table but the
 * PodSecurity admission allows it since Kubernetes 1.33 (PR 130394): flagging it would be a false violation.
 */
export const RESTRICTED_VOLUME_TYPES: ReadonlySet<string> = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "image",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);

const volumeSchema = z.looseObject({ name: field(z.string()) });

interface VolumeView {
  path: string;
  /** The volume's source fields that are set (every key but `name` with a non-null value). */
  sources: Record<string, unknown>;
}

function volumesOf(view: PodView): VolumeView[] {
  return elements(view.spec.volumes, volumeSchema).flatMap((volume, index) => {
    if (volume === undefined || volume === UNREADABLE) return [];
    const sources = Object.fromEntries(
      Object.entries(volume).filter(
        ([key, value]) => key !== "name" && value !== null && value !== undefined,
      ),
    );
    return [{ path: `spec.volumes[${label(volume.name, index)}]`, sources }];
  });
}

/** Baseline: a hostPath volume reaches the node's filesystem. */
export const hostPathVolumes: PssCheck = (view) =>
  volumesOf(view).flatMap(({ path, sources }) => {
    const hostPath = sources.hostPath;
    // A hostPath of another shape is not one the API server would store: not judged.
    if (hostPath === null || typeof hostPath !== "object" || Array.isArray(hostPath)) return [];
    const where = (hostPath as { path?: unknown }).path;
    return [
      violation(
        PSS_CONTROLS.hostPathVolumes,
        "baseline",
        `${path}.hostPath`,
        typeof where === "string" ? where : null,
        "replace the hostPath volume (e.g. with a persistentVolumeClaim, configMap, secret or emptyDir)",
      ),
    ];
  });

/**
 * Restricted: each volume must use an allowed source. A volume with no source at all is defaulted to
 * emptyDir by the API server, so it passes; a hostPath volume is already the baseline violation.
 */
export const volumeTypes: PssCheck = (view) =>
  volumesOf(view).flatMap(({ path, sources }) => {
    const kinds = Object.keys(sources);
    if (
      !kinds.length ||
      kinds.includes("hostPath") ||
      kinds.some((kind) => RESTRICTED_VOLUME_TYPES.has(kind))
    )
      return [];
    return [
      violation(
        PSS_CONTROLS.volumeTypes,
        "restricted",
        path,
        kinds,
        `replace the ${kinds.join("/")} volume with one of ${[...RESTRICTED_VOLUME_TYPES].join(", ")}`,
      ),
    ];
  });

import type { RegistryScanning, RegistryScanningRule, TagMutability } from "./state";

/** Frequencies that scan without anyone asking; `MANUAL` does not. */
const SCANNING_FREQUENCIES = new Set(["SCAN_ON_PUSH", "CONTINUOUS_SCAN"]);
export const KNOWN_SCAN_TYPES = new Set(["BASIC", "ENHANCED"]);

/**
 * ECR's registry filter rule (User Guide, "Filters to choose which repositories are scanned"): a
 * filter without `*` matches every name that CONTAINS it (`prod` matches `repo-prod-repo`); with `*`
 * it must match the whole name, `*` standing for zero or more characters (`prod*` matches
 * `prodrepo`, not `repo-prod`). Compared case-insensitively: matching more can only mean flagging less.
 */
export function filterMatches(filter: string, repositoryName: string): boolean {
  const f = filter.toLowerCase();
  const name = repositoryName.toLowerCase();
  if (!f.includes("*")) return name.includes(f);
  const pattern = f
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${pattern}$`).test(name);
}

/** The registry rule that scans this repository automatically, if any. */
function coveringRule(scanning: RegistryScanning, repositoryName: string): RegistryScanningRule | undefined {
  return scanning.rules.find(
    (rule) =>
      SCANNING_FREQUENCIES.has(rule.scanFrequency) &&
      rule.filters.some((filter) => filterMatches(filter, repositoryName)),
  );
}

/** Whether one rule scans every repository, whatever its name (a `*` filter). */
export function coversEveryRepository(scanning: RegistryScanning): boolean {
  return scanning.rules.some(
    (rule) => SCANNING_FREQUENCIES.has(rule.scanFrequency) && rule.filters.some((f) => /^\*+$/.test(f)),
  );
}

/**
 * Whether a repository's images are scanned without anyone asking. Under ENHANCED scanning only the
 * registry's rules count: "any repositories not matching an enhanced scanning filter will have
 * scanning disabled" (ECR User Guide). Under BASIC the repository's own scan-on-push flag counts
 * too: AWS deprecated it in favour of registry rules, but whether BASIC rules override it is not
 * documented clearly enough to flag on it.
 */
export function isScanned(scanOnPush: boolean, scanning: RegistryScanning, repositoryName: string): boolean {
  const flagCounts = scanOnPush && scanning.scanType !== "ENHANCED";
  return flagCounts || coveringRule(scanning, repositoryName) !== undefined;
}

/**
 * Whether image tags can be overwritten. `MUTABLE_WITH_EXCLUSION` keeps only the excluded tags fixed,
 * so it is mutable; `IMMUTABLE_WITH_EXCLUSION` is immutable unless an exclusion matches every tag
 * (`*`). Unknown future values are not judged.
 */
export function isMutable(mutability: TagMutability): boolean | undefined {
  switch (mutability.setting) {
    case "MUTABLE":
    case "MUTABLE_WITH_EXCLUSION":
      return true;
    case "IMMUTABLE":
      return false;
    case "IMMUTABLE_WITH_EXCLUSION":
      return mutability.exclusionFilters.some((f) => /^\*+$/.test(f));
    default:
      return undefined;
  }
}

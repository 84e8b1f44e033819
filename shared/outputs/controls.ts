/**
 * A check's `controls` (e.g. `["SecurityHub EC2.53", "CIS 5.2"]`, `["FSBP EC2.2", "CIS 1.2.0 4.1"]`)
 * read as what the output formats need: the Security Hub control id, the standards, and the
 * requirements as Security Hub spells them (`CIS AWS Foundations Benchmark v3.0.0/5.2`).
 */
export interface ControlMapping {
  /** Security Hub control ids (`EC2.19`) from `FSBP …` and `SecurityHub …` entries, in order. */
  securityControlIds: string[];
  /** Standards the controls belong to, e.g. `AWS Foundational Security Best Practices v1.0.0`. */
  standards: string[];
  /** Requirements within those standards (CIS numbers and other frameworks' ids). */
  requirements: string[];
  /** At least one CIS AWS Foundations Benchmark requirement. */
  cis: boolean;
}

export const FSBP_STANDARD = "AWS Foundational Security Best Practices v1.0.0";
const CIS_STANDARD = "CIS AWS Foundations Benchmark";
/** controls.md: a CIS number without a version is the v3.0.0 one (Security Hub's CIS mapping table). */
const CIS_DEFAULT_VERSION = "3.0.0";

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

export function mapControls(controls: readonly string[]): ControlMapping {
  const securityControlIds: string[] = [];
  const standards: string[] = [];
  const requirements: string[] = [];
  let cis = false;
  for (const control of controls) {
    const [framework = "", ...rest] = control.trim().split(/\s+/);
    if ((framework === "FSBP" || framework === "SecurityHub") && rest.length === 1 && rest[0]) {
      securityControlIds.push(rest[0]);
      // `SecurityHub X` controls are Security Hub controls outside FSBP (e.g. CIS-only ones).
      if (framework === "FSBP") standards.push(FSBP_STANDARD);
      continue;
    }
    if (framework === "CIS" && rest.length >= 1) {
      const [version, number] = rest.length >= 2 ? [rest[0], rest[1]] : [CIS_DEFAULT_VERSION, rest[0]];
      const standard = `${CIS_STANDARD} v${version}`;
      standards.push(standard);
      requirements.push(`${standard}/${number}`);
      cis = true;
      continue;
    }
    // Other frameworks (Dockle, Kubernetes Pod Security Standards): kept as written.
    if (control.trim()) requirements.push(control.trim());
  }
  return {
    securityControlIds: unique(securityControlIds),
    standards: unique(standards),
    requirements: unique(requirements),
    cis,
  };
}

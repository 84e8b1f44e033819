import type { CheckDefinition } from "../define";
import imageVulnerabilities from "./image-vulnerabilities";

/** Image vulnerability-scan checks (ECR basic scanning, Amazon Inspector). Adding one = one file in this folder + one line here. */
export const imageScanChecks: readonly CheckDefinition[] = [imageVulnerabilities];

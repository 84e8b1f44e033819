/** The credential provider Vigil uses (assuming the remediation role); only ever imported through `loadCredentials()` (./sdk). */
export { fromTemporaryCredentials } from "@aws-sdk/credential-providers";

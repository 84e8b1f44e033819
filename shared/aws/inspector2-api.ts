/** The parts of the Inspector2 SDK Vigil uses; only ever imported through `loadInspector2()` (./sdk). */
export { Inspector2Client, ListFindingsCommand, paginateListFindings } from "@aws-sdk/client-inspector2";

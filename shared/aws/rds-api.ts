/** The parts of the RDS SDK Vigil uses; only ever imported through `loadRds()` (./sdk). */
export { RDSClient } from "@aws-sdk/client-rds";

/** The parts of the GuardDuty SDK Vigil uses; only ever imported through `loadGuardDuty()` (./sdk). */
export {
  CreateDetectorCommand,
  GetDetectorCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  ListTagsForResourceCommand,
  UpdateDetectorCommand,
  paginateListDetectors,
} from "@aws-sdk/client-guardduty";

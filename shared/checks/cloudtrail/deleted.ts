import { defineCheck } from "../define";
import { deletionTriggers, trailReadActions } from "./triggers";

/**
 * A deletion can't be undone (the trail's settings are gone with it), so this one only alerts: the
 * finding carries who deleted it and from where (the pipeline records the CloudTrail actor).
 */
export default defineCheck({
  id: "VIGIL.CLOUDTRAIL.DELETED",
  title: "CloudTrail trails should not be deleted",
  severity: "CRITICAL",
  resourceType: "AWS::CloudTrail::Trail",
  controls: [],
  description:
    "Someone deleted a trail (DeleteTrail), which stops its audit log for good. Confirm it was intended; otherwise re-create the trail and investigate the actor.",
  tampering: true,
  triggers: deletionTriggers,
  iamActions: trailReadActions,
  undecided: (state) =>
    state.deleted === undefined ? "this call does not say whether the trail was deleted" : undefined,
  evaluate: (state) =>
    state.deleted
      ? [
          {
            summary: `trail ${state.trailName} was deleted`,
            evidence: { trailArn: state.trailArn, deleted: true },
          },
        ]
      : [],
});

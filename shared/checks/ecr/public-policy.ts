import { ecrRepositoryReadActions } from "../../resources/ecr-repository/adapter";
import { publicStatements, restricts } from "../../resources/ecr-repository/policy-exposure";
import { defineCheck } from "../define";
import { repositoryTriggers } from "./triggers";

/** Enough actions to say what is exposed, few enough for an alert. */
const MAX_ACTIONS = 10;

export default defineCheck({
  id: "VIGIL.ECR.PUBLIC_POLICY",
  title: "ECR repository policies should not allow access to any AWS principal",
  severity: "CRITICAL",
  resourceType: "AWS::ECR::Repository",
  controls: [],
  description:
    'The repository policy allows Principal "*" with no condition limiting it to your accounts or organization, so any AWS account can use the granted actions (pull images, often more). Name the accounts, or add an aws:PrincipalOrgID condition.',
  triggers: repositoryTriggers(["SetRepositoryPolicy", "DeleteRepositoryPolicy"]),
  iamActions: ecrRepositoryReadActions,
  evaluate(state) {
    return publicStatements(state.policy).map((statement, i) => {
      const name = statement.sid ? `statement ${statement.sid}` : `statement ${i + 1}`;
      const principal = statement.notPrincipal ? "everyone outside NotPrincipal" : "any AWS principal (*)";
      const actions = statement.actions.slice(0, MAX_ACTIONS);
      const granted = actions.join(", ") || "(no action listed)";
      return {
        summary: `repository ${state.repositoryName} policy ${name} allows ${principal}: ${statement.notAction ? `every action except ${granted}` : granted}`,
        evidence: {
          repositoryName: state.repositoryName,
          ...(statement.sid ? { sid: statement.sid } : {}),
          principal: statement.notPrincipal ? "NotPrincipal" : "*",
          [statement.notAction ? "notActions" : "actions"]: actions,
          ...(statement.actions.length > MAX_ACTIONS
            ? { moreActions: statement.actions.length - MAX_ACTIONS }
            : {}),
          // Conditions that are there but do not limit who may call (e.g. aws:SecureTransport).
          nonRestrictingConditions: statement.conditions
            .filter((c) => !restricts(c))
            .map((c) => `${c.operator} ${c.key}`),
        },
      };
    });
  },
});

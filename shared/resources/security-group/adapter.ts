import { loadEc2 } from "../../aws/sdk";
import { defineResourceAdapter, UnusableEventError } from "../adapter";
import { fromAuthorizeEgress, fromAuthorizeIngress, fromModifyRules } from "./from-cloudtrail";
import { fromConfigItem } from "./from-config";
import { isNotFound, liveIngressRules, liveRulesById } from "./from-ec2-api";
import { SECURITY_GROUP_TYPE } from "./ref";
import { refreshWholeGroup } from "./refresh-whole-group";

export default defineResourceAdapter({
  resourceType: SECURITY_GROUP_TYPE,
  fromCloudTrail(detail, account) {
    switch (detail.eventName) {
      case "AuthorizeSecurityGroupIngress":
        return fromAuthorizeIngress(detail, account);
      case "AuthorizeSecurityGroupEgress":
        return fromAuthorizeEgress(detail, account);
      case "ModifySecurityGroupRules":
        return fromModifyRules(detail, account);
      default:
        throw new UnusableEventError(`no security-group reader for ${detail.eventName}`);
    }
  },
  fromConfigItem,
  async readTags(observation, clients) {
    try {
      const [ec2, { DescribeSecurityGroupsCommand }] = await Promise.all([clients.ec2(), loadEc2()]);
      const out = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [observation.resource.id] }));
      const tags = out.SecurityGroups?.[0]?.Tags ?? [];
      return Object.fromEntries(tags.filter((t) => t.Key !== undefined).map((t) => [t.Key, t.Value ?? ""]));
    } catch (error) {
      // A deleted group has no tags and nothing left to remediate.
      if (isNotFound(error)) return {};
      throw error;
    }
  },
  async refresh(observation, clients) {
    if (!observation.state) return observation;
    const ec2 = await clients.ec2();
    if (observation.state.confirm === "whole-group") return refreshWholeGroup(observation, ec2);
    const ids = observation.state.ingress.map((r) => r.ruleId).filter((id): id is string => id !== undefined);
    const ingress = ids.length
      ? await liveRulesById(ec2, ids)
      : (await liveIngressRules(ec2, observation.state.groupId)).rules;
    return { ...observation, state: { ...observation.state, ingress }, needsRefresh: false };
  },
});

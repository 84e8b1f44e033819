import { errorName } from "../../aws/errors";
import { loadEc2 } from "../../aws/sdk";
import { defineResourceAdapter } from "../adapter";
import { fromConfigItem } from "./from-config";
import {
  fromCreateSubnet,
  fromDeleteSubnet,
  fromModifySubnetAttribute,
  unknownSubnetCall,
} from "./from-cloudtrail";
import { SUBNET_TYPE } from "./ref";

export default defineResourceAdapter({
  resourceType: SUBNET_TYPE,
  fromCloudTrail(detail, account) {
    switch (detail.eventName) {
      case "ModifySubnetAttribute":
        return fromModifySubnetAttribute(detail, account);
      case "CreateSubnet":
      case "CreateDefaultSubnet":
        return fromCreateSubnet(detail, account);
      case "DeleteSubnet":
        return fromDeleteSubnet(detail, account);
      default:
        return unknownSubnetCall(detail.eventName);
    }
  },
  fromConfigItem,
  async readTags(observation, clients) {
    try {
      const [ec2, { DescribeSubnetsCommand }] = await Promise.all([clients.ec2(), loadEc2()]);
      const out = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [observation.resource.id] }));
      const tags = out.Subnets?.[0]?.Tags ?? [];
      return Object.fromEntries(tags.filter((t) => t.Key !== undefined).map((t) => [t.Key, t.Value ?? ""]));
    } catch (error) {
      // A deleted subnet has no tags left to read.
      if (errorName(error) === "InvalidSubnetID.NotFound") return {};
      throw error;
    }
  },
});

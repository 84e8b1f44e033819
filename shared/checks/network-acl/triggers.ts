import type { CheckTriggers } from "../define";

/** Entry writes and deletions (the ACL is then read whole), ACL deletion, and Config items of ACLs. */
export const networkAclTriggers: CheckTriggers = {
  cloudTrail: [
    {
      eventSource: "ec2.amazonaws.com",
      eventNames: [
        "CreateNetworkAclEntry",
        "ReplaceNetworkAclEntry",
        "DeleteNetworkAclEntry",
        "DeleteNetworkAcl",
      ],
    },
  ],
  config: ["AWS::EC2::NetworkAcl"],
};

/** The adapter's only read: DescribeNetworkAcls, for the whole ACL (refresh) and its tags. */
export const networkAclReadActions = ["ec2:DescribeNetworkAcls"];

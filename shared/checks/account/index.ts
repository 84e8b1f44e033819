import type { CheckDefinition } from "../define";
import configDeliveryChannelDeleted from "./config-delivery-channel-deleted";
import configRecorderDeleted from "./config-recorder-deleted";
import configRecorderStopped from "./config-recorder-stopped";
import ec2_7 from "./ec2-7-ebs-default-encryption";
import s3_1 from "./s3-1-account-public-access-block";

/**
 * Account- and Region-level safeguards an attacker (or a hurried admin) turns off: EBS default
 * encryption, S3 account Block Public Access, AWS Config recording. Adding one = one file + one line.
 */
export const accountChecks: readonly CheckDefinition[] = [
  ec2_7,
  s3_1,
  configRecorderStopped,
  configRecorderDeleted,
  configDeliveryChannelDeleted,
];

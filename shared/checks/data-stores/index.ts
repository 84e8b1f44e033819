import type { CheckDefinition } from "../define";
import efs1 from "./efs-1-kms";
import efs8 from "./efs-8-encrypted";
import rds27 from "./rds-27-cluster-encrypted";
import rds3 from "./rds-3-instance-encrypted";
import sns1 from "./sns-1-topic-kms";
import sqs1 from "./sqs-1-queue-encrypted";

/**
 * Encryption at rest of data stores (detect only). Adding one = one file in this folder + one line here.
 * DynamoDB tables have no check: every table is encrypted at rest (an AWS owned key at least).
 */
export const dataStoreChecks: readonly CheckDefinition[] = [rds3, rds27, sqs1, sns1, efs1, efs8];

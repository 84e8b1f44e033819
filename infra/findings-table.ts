import { RemovalPolicy } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type { Construct } from "constructs";
import { FINDINGS_TABLE_KEYS } from "../shared/findings/table";

const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

/** The findings table; keys come from `FINDINGS_TABLE_KEYS` so the store and the stack cannot drift. */
export function createFindingsTable(scope: Construct, id: string): dynamodb.TableV2 {
  const { partitionKey, statusIndex } = FINDINGS_TABLE_KEYS;
  return new dynamodb.TableV2(scope, id, {
    partitionKey: stringKey(partitionKey),
    globalSecondaryIndexes: [
      {
        indexName: statusIndex.name,
        partitionKey: stringKey(statusIndex.partitionKey),
        sortKey: stringKey(statusIndex.sortKey),
      },
    ],
    billing: dynamodb.Billing.onDemand(),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
    // Findings are the audit trail (what was revoked, how to undo it): never lose them with the stack.
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

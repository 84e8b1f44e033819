/** The DynamoDB client for the findings table; only ever imported through `loadDynamoDb()` (./sdk). */
export { DynamoDBClient } from "@aws-sdk/client-dynamodb";

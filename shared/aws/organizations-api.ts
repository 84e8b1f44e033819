export { ListParentsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
// The sweep planner's account listing (shared/sweep/accounts.ts).
export {
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
} from "@aws-sdk/client-organizations";

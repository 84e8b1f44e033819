export { ListParentsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";

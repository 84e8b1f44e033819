/** The parts of the IAM SDK Vigil uses; only ever imported through `loadIam()` (./sdk). */
export {
  DeleteAccountPasswordPolicyCommand,
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListUserTagsCommand,
  TagUserCommand,
  UpdateAccessKeyCommand,
  UpdateAccountPasswordPolicyCommand,
} from "@aws-sdk/client-iam";

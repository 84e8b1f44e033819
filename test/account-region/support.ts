import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { GuardDutyClient } from "@aws-sdk/client-guardduty";
import { parseConfig } from "../../shared/config/load";
import type { ReadClients } from "../../shared/resources/adapter";
import type { AccountRegionState, TrailSummary } from "../../shared/resources/account-region/state";

export const ACCOUNT = "111122223333";
export const config = parseConfig({});

/** A Region where all three services are on: every check passes. */
export function healthy(overrides: Partial<AccountRegionState> = {}): AccountRegionState {
  return {
    account: ACCOUNT,
    region: "eu-west-1",
    cloudTrail: { trails: [trail()] },
    guardDuty: { detectors: [{ detectorId: "12abc34d567e8fa901bc2d34e56789f0", status: "ENABLED" }] },
    config: {
      recorders: [
        {
          name: "default",
          recording: true,
          roleArn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
          allSupported: true,
        },
      ],
    },
    tags: {},
    ...overrides,
  };
}

/** A multi-Region trail homed in us-east-1, logging all management events. */
export function trail(overrides: Partial<TrailSummary> = {}): TrailSummary {
  const name = overrides.name ?? "org-audit";
  const homeRegion = overrides.homeRegion ?? "us-east-1";
  return {
    name,
    arn: `arn:aws:cloudtrail:${homeRegion}:${ACCOUNT}:trail/${name}`,
    homeRegion,
    multiRegion: true,
    organizationTrail: false,
    logging: true,
    managementEvents: "all",
    ...overrides,
  };
}

/** Read clients addressing the local endpoint in one Region: CloudTrail, GuardDuty and Config only. */
export class LocalClients {
  private readonly made: { destroy(): void }[] = [];
  constructor(private readonly endpoint: string) {}

  private make<T extends { destroy(): void }>(client: T): T {
    this.made.push(client);
    return client;
  }

  in(region: string) {
    const options = {
      endpoint: this.endpoint,
      region,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    };
    return {
      cloudTrail: this.make(new CloudTrailClient(options)),
      guardDuty: this.make(new GuardDutyClient(options)),
      configService: this.make(new ConfigServiceClient(options)),
    };
  }

  /** The three clients as ReadClients entries, to put in a runtime's read clients. */
  readClientsFor(region: string): Pick<ReadClients, "cloudTrail" | "guardDuty" | "configService"> {
    const c = this.in(region);
    return {
      cloudTrail: () => c.cloudTrail,
      guardDuty: () => c.guardDuty,
      configService: () => c.configService,
    };
  }

  /** ReadClients for the collector: any other client it asks for is a test failure. */
  readClients(region: string): ReadClients {
    const c = this.in(region);
    return new Proxy({} as ReadClients, {
      get: (_t, name) => {
        if (name === "cloudTrail") return () => c.cloudTrail;
        if (name === "guardDuty") return () => c.guardDuty;
        if (name === "configService") return () => c.configService;
        return () => {
          throw new Error(`the account-region collector asked for the ${String(name)} client`);
        };
      },
    });
  }

  destroy(): void {
    for (const client of this.made) client.destroy();
  }
}

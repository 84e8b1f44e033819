import type { CheckDefinition } from "../define";
import elb1 from "./elb-1-http-to-https-redirect";
import elb17 from "./elb-17-recommended-tls-policy";

/** Encryption in transit on ELBv2 listeners. Adding one = one file in this folder + one line here. */
export const elbChecks: readonly CheckDefinition[] = [elb1, elb17];

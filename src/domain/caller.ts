/** Who is calling, as authentication established it; every service's handlers act for this caller. */
export interface Caller {
  accessKeyId: string;
  account: string;
  region: string;
  /** The credential scope's service name (`sqs`, `sns`, `kinesis`), when signed. */
  service?: string;
  /** Whether signatures are being verified (accounts isolated). */
  strict: boolean;
  /** The request carried no credentials at all. */
  anonymous?: boolean;
}

/** Stream ARNs: `arn:aws:kinesis:<region>:<account>:stream/<name>`. */

export interface StreamRef {
  account: string;
  region: string;
  name: string;
}

export const streamArn = (ref: StreamRef): string => `arn:aws:kinesis:${ref.region}:${ref.account}:stream/${ref.name}`;

const STREAM_ARN = /^arn:aws[a-z-]*:kinesis:([a-z0-9-]+):(\d{12}):stream\/([a-zA-Z0-9_.-]{1,128})$/;

export function parseStreamArn(arn: string): StreamRef | undefined {
  const m = STREAM_ARN.exec(arn);
  return m ? { region: m[1]!, account: m[2]!, name: m[3]! } : undefined;
}

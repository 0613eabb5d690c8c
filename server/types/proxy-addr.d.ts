// proxy-addr ships no types; Express uses it for `trust proxy`, and so do the origin checks.
declare module 'proxy-addr' {
  export type TrustFunction = (address: string, hop: number) => boolean;
  export function compile(trust: string | string[]): TrustFunction;
  const proxyaddr: { compile: typeof compile };
  export default proxyaddr;
}

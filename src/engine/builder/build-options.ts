// What a build is asked to do: the POST /build query (docker build's flags) as a typed value.

export interface BuildOptions {
  /** -t: names to tag the final image with */
  tags: string[];
  /** -f: the Dockerfile's path inside the context (default "Dockerfile") */
  dockerfile: string;
  /** --build-arg KEY=value (a null value means "take it from the client's environment": already resolved by the CLI) */
  buildArgs: Record<string, string | null>;
  /** --target: stop after this stage */
  target?: string;
  /** --no-cache */
  noCache: boolean;
  /** --label: added to the final image */
  labels: Record<string, string>;
  /** -q: only the image id is printed */
  quiet: boolean;
  /** --rm (the CLI's default): remove intermediate containers once the build has succeeded */
  rm: boolean;
  /** --force-rm: remove intermediate containers even when the build fails */
  forceRm: boolean;
  /** --pull: boxlab builds offline, so this only draws a warning */
  pull: boolean;
}

export const DEFAULT_BUILD_OPTIONS: BuildOptions = { tags: [], dockerfile: 'Dockerfile', buildArgs: {}, noCache: false, labels: {}, quiet: false, rm: true, forceRm: false, pull: false };

/** one line of the build's JSON stream, as the docker CLI prints it */
export type BuildMessage = { stream: string } | { aux: { ID: string } } | { errorDetail: { message: string; code?: number }; error: string };

/** what `boxlab explain build` shows for each step */
export interface BuildStepRecord {
  step: number;
  total: number;
  stage: string;
  instruction: string;
  cached: boolean;
  imageId: string;
  /** the new layer, when the step made one */
  layer?: { diffId: string; size: number };
  /** the files' checksum that keyed the cache (COPY/ADD) */
  checksum?: string;
  seconds: number;
}

export interface BuildRecord {
  imageId: string;
  tags: string[];
  dockerfile: string;
  target?: string;
  finished: string;
  steps: BuildStepRecord[];
}

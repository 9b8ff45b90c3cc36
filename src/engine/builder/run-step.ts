// RUN: the command runs in a container made from the current intermediate image, the same way
// `docker run` would run it (runc, an overlay snapshot, no network: the build is offline). What the
// command wrote is in the container's overlay upper dir, which becomes the step's layer.
import type { ContainerService, OutputChunk } from '../containers/container-service.js';

export interface RunStepInput {
  imageId: string;
  args: string[];
  /** build args in scope, as KEY=value (they are in RUN's environment but not in the image) */
  env: string[];
  onOutput(chunk: OutputChunk): void;
  onCreated?(containerId: string): void;
}

export interface RunStepResult {
  containerId: string;
  exitCode: number;
  upperdir: string;
}

export async function runStep(containers: ContainerService, input: RunStepInput): Promise<RunStepResult> {
  const { Id } = await containers.create({
    Image: input.imageId,
    Cmd: input.args,
    Entrypoint: [''], // the image's ENTRYPOINT does not wrap RUN
    Env: input.env,
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: { NetworkMode: 'none' },
    Labels: { 'boxlab.build': 'intermediate' },
  });
  input.onCreated?.(Id);
  try {
    const session = await containers.attach(Id, { stream: true, logs: false, stdin: false, stdout: true, stderr: true });
    session.onOutput(input.onOutput);
    await containers.start(Id);
    const { StatusCode } = await containers.wait(Id, 'not-running');
    await Promise.race([session.done, new Promise((r) => setTimeout(r, 2000))]);
    session.close();
    const inspect = (await containers.inspect(Id)) as { GraphDriver?: { Data?: { UpperDir?: string } } };
    return { containerId: Id, exitCode: StatusCode, upperdir: inspect.GraphDriver?.Data?.UpperDir ?? '' };
  } catch (err) {
    await containers.remove(Id, { force: true, volumes: true }).catch(() => undefined);
    throw err;
  }
}

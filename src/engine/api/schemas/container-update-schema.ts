// The body of POST /containers/{id}/update (`docker update`), decoded once into ContainerUpdateBody with
// dockerd's words (its Go type is container.UpdateConfig: container.Resources and a RestartPolicy). The
// checks dockerd's verifyContainerSettings makes before it looks at the container come here too: the
// restart policy, then the resource limits (in update mode, where --memory-swap may come alone).
import { invalidArgument } from '../../../core/errors.js';
import type { ContainerUpdateBody } from '../../docker-model.js';
import { checkResources, type ResourceHost } from '../../containers/oci-spec/resource-checks.js';
import { restartPolicyProblem } from '../../containers/restart-policy.js';
import { decodeBody, integer, struct, text } from './go-json.js';
import { resourceFields } from './resources-schema.js';

const updateConfig = struct<ContainerUpdateBody>('UpdateConfig', 'container.UpdateConfig', {
  ...resourceFields,
  RestartPolicy: struct('RestartPolicy', 'container.RestartPolicy', {
    Name: text<NonNullable<NonNullable<ContainerUpdateBody['RestartPolicy']>['Name']>>(),
    MaximumRetryCount: integer('int'),
  }),
});

/** the update, without what this kernel cannot apply, and dockerd's warnings (a discarded --blkio-weight) */
export function parseContainerUpdate(json: unknown, host: ResourceHost): { update: ContainerUpdateBody; warnings: string[] } {
  if (json === undefined) throw invalidArgument('EOF', { suggestions: ['send the resources to change as JSON, e.g. {"Memory": 67108864, "MemorySwap": 134217728}'] });
  const body = decodeBody(json, updateConfig, 'container.UpdateConfig') ?? {};
  const problem = restartPolicyProblem(body.RestartPolicy);
  if (problem) throw invalidArgument(problem);
  const { resources, warnings } = checkResources(body, host, { update: true });
  return { update: resources, warnings };
}

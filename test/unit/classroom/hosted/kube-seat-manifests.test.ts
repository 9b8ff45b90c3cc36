// The Kubernetes objects of a hosted seat against the required fields of the published schemas
// (test/fixtures/kube-schemas: Kubernetes v1.30 OpenAPI, KubeVirt v1): no cluster here, so what an API
// server would refuse an object for is checked on the data itself, with what the seat needs on top.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import { CLASS_SERVER_LABELS, kataSeatPod, kubevirtSeatVm, seatNetworkPolicy, type KubeSeat } from '../../../../src/classroom/hosted/kube-seat-manifests.js';

const Ajv = AjvModule.default;
const schema = JSON.parse(readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../test/fixtures/kube-schemas/seat-objects.json'), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema(schema, 'seat');
const valid = (def: string, obj: unknown) => {
  const v = ajv.getSchema(`seat#/definitions/${def}`)!;
  assert.ok(v(obj), JSON.stringify(v.errors));
};

const seat: KubeSeat = { vm: 'seat-0a1b2c3d4e', className: 'docker-101', namespace: 'boxlab', cpus: 1, memoryMiB: 1024, image: 'registry.school/boxlab-seat:1', sshPublicKey: 'ssh-ed25519 AAAA class-server' };

describe('kube seat manifests (KubeVirt VM, Kata pod, NetworkPolicy)', () => {
  it('a KubeVirt VirtualMachine that has what the schema requires, boots the seat image and authorizes the class server', () => {
    const vm = kubevirtSeatVm(seat);
    valid('VirtualMachine', vm);
    const t = JSON.stringify(vm);
    assert.match(t, /"containerDisk":\{"image":"registry.school\/boxlab-seat:1"\}/);
    assert.match(t, /ssh-ed25519 AAAA class-server/);
    assert.match(t, /"guest":"1024Mi"/);
  });

  it('a pod under the Kata RuntimeClass with requests equal to limits (a seat gets what it was promised)', () => {
    const pod = kataSeatPod(seat) as { spec: { runtimeClassName: string; containers: { resources: { requests: unknown; limits: unknown } }[] } };
    valid('Pod', pod);
    assert.equal(pod.spec.runtimeClassName, 'kata');
    assert.deepEqual(pod.spec.containers[0].resources.requests, pod.spec.containers[0].resources.limits);
    assert.equal((kataSeatPod(seat, 'kata-qemu') as typeof pod).spec.runtimeClassName, 'kata-qemu');
  });

  it('a NetworkPolicy that lets only the class server reach the seat, on ssh', () => {
    const np = seatNetworkPolicy(seat) as { spec: { podSelector: unknown; ingress: { from: { podSelector: { matchLabels: unknown } }[]; ports: { port: number }[] }[] } };
    valid('NetworkPolicy', np);
    assert.deepEqual(np.spec.podSelector, { matchLabels: { 'boxlab.dev/seat': seat.vm } });
    assert.deepEqual(np.spec.ingress[0].from[0].podSelector.matchLabels, CLASS_SERVER_LABELS);
    assert.deepEqual(np.spec.ingress[0].ports.map((p) => p.port), [22]);
  });

  it('the schema check catches what an API server refuses (a pod without containers, a VM without a template)', () => {
    const v = ajv.getSchema('seat#/definitions/Pod')!;
    assert.equal(v({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: {} }), false);
    const vm = ajv.getSchema('seat#/definitions/VirtualMachine')!;
    assert.equal(vm({ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'x' }, spec: {} }), false);
    assert.equal(vm({ ...kubevirtSeatVm(seat), metadata: { name: 'Seat_1' } }), false, 'names are DNS labels');
  });
});

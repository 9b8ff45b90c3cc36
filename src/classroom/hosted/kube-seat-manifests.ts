// The Kubernetes objects of one hosted seat (docs/scaling.md, ADR 0026), as plain data a future
// KubeProvider hands to @kubernetes/client-node: either a KubeVirt VirtualMachine booting the same
// Debian image the QEMU provider boots (a real VM boundary, snapshots through KubeVirt), or a pod under a
// Kata Containers RuntimeClass (a light VM per pod) running the sandbox image with sshd and boxlabd.
// Each seat also gets a NetworkPolicy: only the class server may open connections to it, so one seat
// cannot reach another's (the isolation the integration test proves for tokens, here for the network).
// Pure builders, no cluster: tested against the published schemas' required fields.

export interface KubeSeat {
  /** the seat's sandbox name (`seat-<hex>`), also the object names */
  vm: string;
  className: string;
  namespace: string;
  cpus: number;
  memoryMiB: number;
  /** the sandbox image: a containerDisk for KubeVirt, a container image for Kata */
  image: string;
  /** the class server's public key, authorized for root in the seat */
  sshPublicKey: string;
}

const LABELS = (s: KubeSeat) => ({ 'app.kubernetes.io/name': 'boxlab-seat', 'app.kubernetes.io/managed-by': 'boxlab', 'boxlab.dev/class': s.className, 'boxlab.dev/seat': s.vm });

/** the class server's pods, the only ones a seat accepts connections from */
export const CLASS_SERVER_LABELS = { 'app.kubernetes.io/name': 'boxlab-class-server' };

const cloudInit = (s: KubeSeat) => `#cloud-config\nhostname: ${s.vm}\ndisable_root: false\nssh_authorized_keys:\n  - ${s.sshPublicKey}\n`;

/** a KubeVirt VirtualMachine (kubevirt.io/v1) for the seat, started at once (runStrategy Always) */
export function kubevirtSeatVm(s: KubeSeat): Record<string, unknown> {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name: s.vm, namespace: s.namespace, labels: LABELS(s) },
    spec: {
      runStrategy: 'Always',
      template: {
        metadata: { labels: LABELS(s) },
        spec: {
          domain: {
            cpu: { cores: s.cpus },
            memory: { guest: `${s.memoryMiB}Mi` },
            devices: {
              disks: [
                { name: 'root', disk: { bus: 'virtio' } },
                { name: 'cloudinit', disk: { bus: 'virtio' } },
              ],
              interfaces: [{ name: 'default', masquerade: {} }],
            },
          },
          networks: [{ name: 'default', pod: {} }],
          volumes: [
            { name: 'root', containerDisk: { image: s.image } },
            { name: 'cloudinit', cloudInitNoCloud: { userData: cloudInit(s) } },
          ],
        },
      },
    },
  };
}

/** a pod under the Kata RuntimeClass: the sandbox image runs sshd and boxlabd inside its own light VM */
export function kataSeatPod(s: KubeSeat, runtimeClassName = 'kata'): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: s.vm, namespace: s.namespace, labels: LABELS(s) },
    spec: {
      runtimeClassName,
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      containers: [
        {
          name: 'sandbox',
          image: s.image,
          env: [{ name: 'BOXLAB_AUTHORIZED_KEY', value: s.sshPublicKey }],
          ports: [{ name: 'ssh', containerPort: 22 }],
          // boxlabd runs runc, mounts overlayfs and writes iptables: root in the guest kernel Kata gives the pod, not the node's
          securityContext: { privileged: true },
          resources: { requests: { cpu: `${s.cpus}`, memory: `${s.memoryMiB}Mi` }, limits: { cpu: `${s.cpus}`, memory: `${s.memoryMiB}Mi` } },
          readinessProbe: { tcpSocket: { port: 22 }, periodSeconds: 2 },
        },
      ],
    },
  };
}

/** only the class server may reach the seat, on ssh; seats never reach each other */
export function seatNetworkPolicy(s: KubeSeat): Record<string, unknown> {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `${s.vm}-ingress`, namespace: s.namespace, labels: LABELS(s) },
    spec: {
      podSelector: { matchLabels: { 'boxlab.dev/seat': s.vm } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: CLASS_SERVER_LABELS } }], ports: [{ protocol: 'TCP', port: 22 }] }],
    },
  };
}

// The explanation of each trace step, in English and Chinese. Each text names the kernel or Docker concept
// so a student can look it up (overlayfs, namespaces, cgroups, the OCI runtime spec).
import type { TraceStep, TraceText } from './trace-event.js';

type Details = Record<string, unknown>;
const str = (v: unknown) => (Array.isArray(v) ? v.join(' ') : String(v ?? ''));

const MESSAGES: Record<TraceStep, (d: Details) => TraceText> = {
  'build.step': (d) => ({
    en: d.cached
      ? `step ${str(d.step)} "${str(d.instruction)}": build cache hit (same parent image and instruction${d.checksum ? ' and file checksums' : ''}), reused image ${str(d.imageId)}`
      : `step ${str(d.step)} "${str(d.instruction)}": executed, committed image ${str(d.imageId)}${d.layerSize !== undefined ? ` with a new ${str(d.layerSize)}-byte layer` : ' (config only, no layer)'}`,
    zh: d.cached
      ? `第 ${str(d.step)} 步 "${str(d.instruction)}"：命中构建缓存（父镜像与指令${d.checksum ? '及文件校验和' : ''}相同），复用镜像 ${str(d.imageId)}`
      : `第 ${str(d.step)} 步 "${str(d.instruction)}"：已执行，提交镜像 ${str(d.imageId)}${d.layerSize !== undefined ? `，新增 ${str(d.layerSize)} 字节的层` : '（只改配置，没有新层）'}`,
  }),
  'build.commit': (d) => ({
    en: `committed container ${str(d.container)} as image ${str(d.imageId)}: its overlay upper dir (${str(d.upperdir)}) became a ${str(d.layerSize)}-byte layer on top of the image's layers`,
    zh: `将容器 ${str(d.container)} 提交为镜像 ${str(d.imageId)}：它的 overlay upper 目录（${str(d.upperdir)}）成为镜像各层之上一个 ${str(d.layerSize)} 字节的新层`,
  }),
  'image.resolve': (d) => ({
    en: `resolved image reference "${str(d.ref)}" to ${str(d.imageId)}`,
    zh: `将镜像引用 "${str(d.ref)}" 解析为 ${str(d.imageId)}`,
  }),
  'image.load': (d) => ({
    en: `stored image ${str(d.ref)}: its config and ${str(d.layers)} layer blob(s) in the content store, addressed by sha256 digest`,
    zh: `保存镜像 ${str(d.ref)}：配置和 ${str(d.layers)} 个层文件按 sha256 摘要存入内容存储`,
  }),
  'image.import': (d) => ({
    en: `docker import: the tarball (${str(d.size)} bytes, diff_id ${str(d.diffId)}) became the one layer of a new image ${str(d.imageId)}${d.ref ? ` named ${str(d.ref)}` : ''}, with no parent and a config made only of the --change instructions`,
    zh: `docker import：这个 tar 包（${str(d.size)} 字节，diff_id ${str(d.diffId)}）成为新镜像 ${str(d.imageId)}${d.ref ? `（名为 ${str(d.ref)}）` : ''}唯一的一层；它没有父镜像，配置只来自 --change 指令`,
  }),
  'layer.unpack': (d) => ({
    en: `unpacked layer ${str(d.diffId)} into ${str(d.path)}; whiteout files became overlayfs whiteouts`,
    zh: `将镜像层 ${str(d.diffId)} 解包到 ${str(d.path)}；删除标记 (whiteout) 转换为 overlayfs 的格式`,
  }),
  'snapshot.prepare': (d) => ({
    en: `prepared a writable snapshot: the image's ${str(d.lowerCount)} layer(s) are read-only lower dirs, the container writes to ${str(d.upperdir)}`,
    zh: `准备可写快照：镜像的 ${str(d.lowerCount)} 个层作为只读的 lower 目录，容器的写入进入 ${str(d.upperdir)}`,
  }),
  'snapshot.init-layer': (d) => ({
    en: `${d.written ? 'wrote' : 'reused'} the init layer ${str(d.dir)} (Docker's "-init" layer), the lower dir just under the container's writable layer: real folders and files at ${str(d.paths)}. runc mounts proc, sysfs and a tmpfs on these paths, so they must be real directories, and a folder in an upper layer hides the image's entry at the same path: an image whose /dev or /proc is a symlink cannot lead runc outside the root filesystem`,
    zh: `${d.written ? '写入' : '复用'}初始化层 ${str(d.dir)}（Docker 的 "-init" 层），它是紧贴容器可写层之下的 lower 目录：在 ${str(d.paths)} 放置真实的目录和文件。runc 要在这些路径上挂载 proc、sysfs 和 tmpfs，它们必须是真实目录；而上层的目录会遮住镜像在同一路径上的条目：镜像即使把 /dev 或 /proc 做成符号链接，也无法把 runc 引到根文件系统之外`,
  }),
  'mount.overlay': (d) => ({
    en: `mounted overlayfs at ${str(d.target)} (lowerdir + upperdir + workdir): this merged view is the container's root filesystem`,
    zh: `在 ${str(d.target)} 挂载 overlayfs（lowerdir + upperdir + workdir）：合并后的视图就是容器的根文件系统`,
  }),
  'mount.unmount': (d) => ({
    en: `unmounted ${str(d.target)}`,
    zh: `卸载 ${str(d.target)}`,
  }),
  'volume.create': (d) => ({
    en: `created volume "${str(d.name)}" at ${str(d.path)}`,
    zh: `创建数据卷 "${str(d.name)}"，位置 ${str(d.path)}`,
  }),
  'volume.mount': (d) => ({
    en: `bind-mounted ${str(d.source)} to ${str(d.destination)} in the container${d.readOnly ? ' (read-only)' : ''}`,
    zh: `将 ${str(d.source)} 绑定挂载到容器内的 ${str(d.destination)}${d.readOnly ? '（只读）' : ''}`,
  }),
  // ---- network plane (src/engine/network): every link, address and rule
  'network.netns': (d) => ({
    en: `created a network namespace for the container and pinned it with a bind mount on ${str(d.path)} (unshare --net=${str(d.path)}, which runs the ip commands of eth0 inside it); runc joins it (linux.namespaces network path)`,
    zh: `为容器新建网络命名空间，并用绑定挂载固定在 ${str(d.path)}（unshare --net=${str(d.path)}，它同时在新命名空间里执行配置 eth0 的 ip 命令）；runc 通过路径加入它（linux.namespaces 中的 network path）`,
  }),
  'network.bridge': (d) => ({
    en: `created the Linux bridge ${str(d.bridge)} (a virtual switch, like docker0) for network ${str(d.network)}, with the gateway address ${str(d.gateway)}; route_localnet=1 lets published ports answer on 127.0.0.1`,
    zh: `为网络 ${str(d.network)} 创建 Linux 网桥 ${str(d.bridge)}（虚拟交换机，相当于 docker0），网关地址 ${str(d.gateway)}；route_localnet=1 让发布的端口也能通过 127.0.0.1 访问`,
  }),
  'network.address': (d) => ({
    en: `IPAM gave the container ${str(d.ip)} from subnet ${str(d.subnet)} of network ${str(d.network)} (gateway ${str(d.gateway)}); the address is booked so it is never handed out twice`,
    zh: `IPAM 从网络 ${str(d.network)} 的子网 ${str(d.subnet)} 中分配地址 ${str(d.ip)}（网关 ${str(d.gateway)}）；地址已登记，不会重复分配`,
  }),
  'network.veth': (d) => ({
    en: `created a veth pair (a virtual cable): ${str(d.containerSide)} inside the container (MAC ${str(d.mac)}), ${str(d.hostSide)} on the host, plugged into bridge ${str(d.bridge)}${d.mtu ? `; MTU ${str(d.mtu)} on both ends (the network's mtu)` : ''}`,
    zh: `创建 veth 设备对（虚拟网线）：容器内一端为 ${str(d.containerSide)}（MAC ${str(d.mac)}），宿主机一端为 ${str(d.hostSide)}，接入网桥 ${str(d.bridge)}${d.mtu ? `；两端 MTU 均为 ${str(d.mtu)}（网络的 mtu 设置）` : ''}`,
  }),
  'network.port': (d) => ({
    en: `publishing host port ${str(d.hostIp)}:${str(d.hostPort)} -> container port ${str(d.containerPort)}/${str(d.proto)}${d.picked ? ' (a free port picked by the engine, -P or -p without host port)' : ''}; the port was checked free by binding it once`,
    zh: `发布端口：宿主机 ${str(d.hostIp)}:${str(d.hostPort)} -> 容器端口 ${str(d.containerPort)}/${str(d.proto)}${d.picked ? '（由引擎挑选的空闲端口，-P 或未指定宿主机端口的 -p）' : ''}；已先试绑定确认端口空闲`,
  }),
  'network.rule': (d) => {
    const what: Record<string, [string, string]> = {
      dnat: ['DNAT: connections to this host port are rewritten to the container address (port publishing)', 'DNAT：发往该宿主机端口的连接被改写为容器地址（端口发布）'],
      masquerade: ['MASQUERADE: traffic leaving the network gets the host address as source (egress NAT)', 'MASQUERADE：离开该网络的流量源地址改为宿主机地址（出口 NAT）'],
      'localhost-masquerade': ['MASQUERADE for 127.0.0.0/8 sources: a connection to 127.0.0.1:<port> reaches the container and the answer comes back', '对 127.0.0.0/8 源地址做 MASQUERADE：访问 127.0.0.1:<端口> 的连接能到达容器并收到回复'],
      hairpin: ['hairpin MASQUERADE: the container can reach its own published port', '回环 (hairpin) MASQUERADE：容器可以访问自己发布的端口'],
      isolation: ['isolation: packets from this network to another boxlab network are dropped', '隔离：从本网络发往其他 boxlab 网络的数据包被丢弃'],
      'isolation-published': ['isolation exception: a connection to a published port (DNAT) may come from another network, as with Docker', '隔离的例外：发往已发布端口（DNAT）的连接可以来自其他网络，与 Docker 一致'],
      'internal-drop': ['--internal: traffic between this network and the outside is dropped', '--internal：本网络与外部之间的流量被丢弃'],
      established: ['conntrack: answers to connections already accepted are let through', 'conntrack：放行已建立连接的回包'],
      'publish-accept': ['forwarding accepted to the published container port', '允许转发到已发布的容器端口'],
      'icc-accept': ['icc=true: containers on this bridge may talk to each other', 'icc=true：同一网桥上的容器可以互相通信'],
      'icc-drop': ['icc=false: containers on this bridge may not talk to each other', 'icc=false：同一网桥上的容器之间禁止通信'],
      'egress-accept': ['containers may open connections to the outside', '容器可以向外部发起连接'],
      jump: ['jump from a built-in chain into boxlab\'s chain', '从内置链跳转到 boxlab 的链'],
    };
    const [en, zh] = what[str(d.purpose)] ?? [str(d.purpose), str(d.purpose)];
    return { en: `iptables rule (${str(d.table)} table): ${str(d.rule)} — ${en}`, zh: `iptables 规则（${str(d.table)} 表）：${str(d.rule)} —— ${zh}` };
  },
  'network.hosts': (d) => ({
    en: `wrote names of containers on the same user network into ${str(d.path)} (for programs that read /etc/hosts; resolvers ask the engine's DNS at 127.0.0.11): ${str(d.names)}`,
    zh: `把同一自定义网络上的容器名写入 ${str(d.path)}（供读取 /etc/hosts 的程序使用；解析器则向 127.0.0.11 的引擎 DNS 查询）：${str(d.names)}`,
  }),
  'network.dns-server': (d) => ({
    en: d.error
      ? `could not start the engine's DNS server for network ${str(d.network)} on ${str(d.address)} (${str(d.error)}): containers find each other through /etc/hosts only`
      : `the engine's DNS server for network ${str(d.network)} listens on ${str(d.address)} (UDP): containers on the network ask it for names (their /etc/resolv.conf names it, like Docker's embedded DNS at 127.0.0.11); other names are forwarded to the host's DNS servers`,
    zh: d.error
      ? `无法在 ${str(d.address)} 启动网络 ${str(d.network)} 的引擎 DNS 服务（${str(d.error)}）：容器之间只能通过 /etc/hosts 找到彼此`
      : `网络 ${str(d.network)} 的引擎 DNS 服务在 ${str(d.address)}（UDP）监听：网络上的容器向它查询名字（它们的 /etc/resolv.conf 指向它，相当于 Docker 在 127.0.0.11 的内置 DNS）；其他名字转发给宿主机的 DNS 服务器`,
  }),
  'network.dns': (d) => ({
    en: `${str(d.name)} was resolved to ${str(d.ip)} by the engine's DNS (${str(d.server)}, network ${str(d.network)}) for container ${str(d.client)} (${str(d.clientIp)})`,
    zh: `引擎的 DNS（${str(d.server)}，网络 ${str(d.network)}）为容器 ${str(d.client)}（${str(d.clientIp)}）把 ${str(d.name)} 解析为 ${str(d.ip)}`,
  }),
  'network.dns-redirect': (d) => ({
    en: d.error ? `could not send ${str(d.address)} to the engine's DNS server inside the container (${str(d.error)}): its resolv.conf keeps the host's nameservers, names work through /etc/hosts only` : `the container's /etc/resolv.conf says nameserver ${str(d.address).replace(/:53$/, '')}, as in Docker; its own nat table sends ${str(d.address)} to the engine's DNS server at ${str(d.server)} (DNAT, then SNAT to the container's address, route_localnet on the interface): ${str(d.rules)}`,
    zh: d.error ? `无法在容器内把 ${str(d.address)} 转到引擎的 DNS 服务（${str(d.error)}）：它的 resolv.conf 保留宿主机的 nameserver，名字只能通过 /etc/hosts 解析` : `容器的 /etc/resolv.conf 写的是 nameserver ${str(d.address).replace(/:53$/, '')}，与 Docker 相同；容器自己的 nat 表把 ${str(d.address)} 转到引擎在 ${str(d.server)} 的 DNS 服务（DNAT，再 SNAT 为容器地址，网卡上开启 route_localnet）：${str(d.rules)}`,
  }),
  'network.release': (d) => ({
    en: `left network ${str(d.network)}: deleted veth ${str(d.veth)}, gave address ${str(d.ip)} back to IPAM${Number(d.ports) ? `, removed ${str(d.ports)} published port rule(s)` : ''}`,
    zh: `离开网络 ${str(d.network)}：删除 veth ${str(d.veth)}，把地址 ${str(d.ip)} 还给 IPAM${Number(d.ports) ? `，删除 ${str(d.ports)} 条端口发布规则` : ''}`,
  }),
  'namespace.network': (d) => ({
    en: d.mode === 'host'
      ? 'no new network namespace: the container shares the host network (--network host)'
      : d.mode === 'bridge'
        ? `the container joins the network namespace the network plane prepared (${str(d.path)}): eth0 on a bridge network`
        : d.mode === 'container'
          ? `the container joins the network namespace of container ${str(d.container)} (--network container:): same interfaces, same addresses`
          : 'a new network namespace with only the loopback interface (network mode none)',
    zh: d.mode === 'host'
      ? '不创建新的网络命名空间：容器共享宿主机网络 (--network host)'
      : d.mode === 'bridge'
        ? `容器加入网络层事先准备好的网络命名空间（${str(d.path)}）：eth0 接在网桥网络上`
        : d.mode === 'container'
          ? `容器加入容器 ${str(d.container)} 的网络命名空间（--network container:）：相同的网卡和地址`
          : '新建网络命名空间，其中只有回环接口 lo（网络模式 none）',
  }),
  'spec.write': (d) => ({
    en: `wrote the OCI runtime spec ${str(d.path)}: process ${str(d.args)}, user ${str(d.user)}, ${str(d.capabilities)} capabilities, namespaces ${str(d.namespaces)}`,
    zh: `写入 OCI 运行时规范 ${str(d.path)}：进程 ${str(d.args)}，用户 ${str(d.user)}，${str(d.capabilities)} 项能力 (capabilities)，命名空间 ${str(d.namespaces)}`,
  }),
  'cgroup.limits': (d) => ({
    en: `cgroup ${str(d.cgroupsPath)} (cgroup ${str(d.version)}): ${str(d.summary)}`,
    zh: `控制组 ${str(d.cgroupsPath)}（cgroup ${str(d.version)}）：${str(d.summary)}`,
  }),
  'runc.run': (d) => ({
    en: `started the container with "${str(d.args)}": runc creates the namespaces and cgroup, pivots into the rootfs and execs the process (pid ${str(d.pid)})`,
    zh: `用 "${str(d.args)}" 启动容器：runc 创建命名空间和控制组，切换到根文件系统并执行进程（pid ${str(d.pid)}）`,
  }),
  'runc.exec': (d) => ({
    en: `ran "${str(d.args)}" inside the running container's namespaces (runc exec)`,
    zh: `在运行中容器的命名空间里执行 "${str(d.args)}"（runc exec）`,
  }),
  'runc.kill': (d) => ({
    en: `sent signal ${str(d.signal)} to the container's init process (runc kill)`,
    zh: `向容器的 init 进程发送信号 ${str(d.signal)}（runc kill）`,
  }),
  'runc.pause': () => ({
    en: 'froze every process of the container with the cgroup freezer (runc pause)',
    zh: '用 cgroup freezer 冻结容器的所有进程（runc pause）',
  }),
  'runc.resume': () => ({
    en: 'thawed the container\'s processes (runc resume)',
    zh: '解冻容器的进程（runc resume）',
  }),
  'runc.update': (d) => ({
    en: d.running
      ? `docker update: runc update rewrote the live cgroup ${str(d.cgroupsPath)} (${str(d.summary)}); the processes keep running under the new limits, and the container's HostConfig keeps them for the next start`
      : `docker update: changed the stored HostConfig (${str(d.summary)}); the container is not running, so its cgroup gets the new limits at the next start`,
    zh: d.running
      ? `docker update：runc update 直接改写了运行中的 cgroup ${str(d.cgroupsPath)}（${str(d.summary)}）；进程继续运行并受新限制约束，容器的 HostConfig 也保存了它们，下次启动依然有效`
      : `docker update：修改了保存的 HostConfig（${str(d.summary)}）；容器没有在运行，下次启动时它的 cgroup 才会得到新的限制`,
  }),
  'container.export': (d) => ({
    en: `docker export: wrote the container's merged root filesystem (${str(d.rootfs)}, the overlay of the image's layers and the container's writable layer) as one flat tar; volumes and binds are not in it, and the image's layers and history are lost`,
    zh: `docker export：把容器合并后的根文件系统（${str(d.rootfs)}，即镜像各层与容器可写层叠加后的 overlay 视图）写成一个扁平的 tar；数据卷和绑定挂载不在其中，镜像的分层和历史也不会保留`,
  }),
  'runc.delete': (d) =>
    d.by === 'engine'
      ? {
          en: "deleted the container from runc: its cgroup and runtime state are gone (runc run had returned, so boxlabd removed the cgroup folders and runc's state folder itself, as runc delete does, without starting runc once more)",
          zh: '从 runc 删除容器：其控制组和运行时状态被清除（runc run 已经返回，所以由 boxlabd 自己删除 cgroup 文件夹和 runc 的状态文件夹，与 runc delete 做的一样，不必再启动一次 runc）',
        }
      : {
          en: 'deleted the container from runc: its cgroup and runtime state are gone',
          zh: '从 runc 删除容器：其控制组和运行时状态被清除',
        },
  'process.exit': (d) => ({
    en: `the container's process exited with code ${str(d.exitCode)}${d.oomKilled ? ' (killed by the kernel OOM killer: the memory limit was reached)' : ''}`,
    zh: `容器进程退出，退出码 ${str(d.exitCode)}${d.oomKilled ? '（内存达到上限，被内核 OOM killer 杀死）' : ''}`,
  }),
  'restart.schedule': (d) => ({
    en: `restart policy "${str(d.policy)}": restarting in ${str(d.delayMs)} ms (restart #${str(d.count)})`,
    zh: `重启策略 "${str(d.policy)}"：${str(d.delayMs)} 毫秒后重启（第 ${str(d.count)} 次）`,
  }),
  'health.status': (d) => ({
    en: d.status === 'healthy'
      ? `HEALTHCHECK: the probe (${str(d.command)}) exited 0, run with docker exec's machinery inside the container: the container is now healthy (was ${str(d.previous)}); docker ps shows "(healthy)"`
      : d.status === 'unhealthy'
        ? `HEALTHCHECK: the probe (${str(d.command)}) failed ${str(d.failingStreak)} time(s) in a row (retries: ${str(d.retries)}; last exit code ${str(d.exitCode)}): the container is now unhealthy (was ${str(d.previous)}). The engine only reports it: nothing restarts an unhealthy container by itself`
        : `HEALTHCHECK: the container started, so its health starts again at "starting"; the first probe (${str(d.command)}) runs after the interval`,
    zh: d.status === 'healthy'
      ? `健康检查：探针（${str(d.command)}）以 docker exec 的方式在容器内运行并以 0 退出：容器现在是 healthy（之前是 ${str(d.previous)}）；docker ps 显示 "(healthy)"`
      : d.status === 'unhealthy'
        ? `健康检查：探针（${str(d.command)}）连续失败 ${str(d.failingStreak)} 次（retries：${str(d.retries)}；最后的退出码 ${str(d.exitCode)}）：容器现在是 unhealthy（之前是 ${str(d.previous)}）。引擎只报告状态：不会自动重启不健康的容器`
        : `健康检查：容器已启动，健康状态重新从 "starting" 开始；第一次探测（${str(d.command)}）在一个间隔之后运行`,
  }),
  cleanup: (d) => ({
    en: `cleaned up: ${str(d.what)}`,
    zh: `清理：${str(d.what)}`,
  }),
  recover: (d) => ({
    en: `engine restart: found the container ${str(d.state)}; ${str(d.action)}`,
    zh: `引擎重启：发现容器处于 ${str(d.state)} 状态；${str(d.action)}`,
  }),
  'pull.manifest': (d) => ({
    en: `resolved ${str(d.ref)} at ${str(d.endpoint)}: manifest ${str(d.digest)}${d.platform ? ` (platform ${str(d.platform)} chosen from the image index)` : ''}, ${str(d.layers)} layer(s); the registry speaks the OCI distribution API (GET /v2/<name>/manifests/<tag>)`,
    zh: `在 ${str(d.endpoint)} 解析 ${str(d.ref)}：清单 (manifest) ${str(d.digest)}${d.platform ? `（从镜像索引中选择平台 ${str(d.platform)}）` : ''}，共 ${str(d.layers)} 层；镜像仓库遵循 OCI distribution 接口 (GET /v2/<name>/manifests/<tag>)`,
  }),
  'pull.layer': (d) => ({
    en: d.reused
      ? `layer ${str(d.digest)} is already in the content store: shared with another image, not downloaded again`
      : `downloaded layer ${str(d.digest)} (${str(d.size)} bytes) and checked that its sha256 matches the manifest`,
    zh: d.reused
      ? `镜像层 ${str(d.digest)} 已在内容存储中：与其他镜像共享，不再下载`
      : `下载镜像层 ${str(d.digest)}（${str(d.size)} 字节），并校验其 sha256 与清单一致`,
  }),
  'push.blob': (d) => ({
    en: `pushed blob ${str(d.digest)} to ${str(d.repository)}: ${d.outcome === 'exists' ? 'the registry had it already (HEAD answered 200)' : d.outcome === 'mounted' ? 'mounted from another repository of the same registry, no bytes sent' : 'uploaded (POST an upload session, then PUT ?digest=)'}`,
    zh: `推送数据块 ${str(d.digest)} 到 ${str(d.repository)}：${d.outcome === 'exists' ? '仓库中已存在（HEAD 返回 200）' : d.outcome === 'mounted' ? '从同一仓库的其他镜像库跨库挂载，无需传输数据' : '已上传（POST 创建上传会话，再 PUT ?digest=）'}`,
  }),
  'push.manifest': (d) => ({
    en: `pushed the manifest of ${str(d.ref)} last (a registry only accepts a manifest whose blobs it has): digest ${str(d.digest)}`,
    zh: `最后推送 ${str(d.ref)} 的清单（仓库只接受其数据块都已存在的清单）：摘要 ${str(d.digest)}`,
  }),
};

export function traceText(step: TraceStep, details: Details): TraceText {
  return MESSAGES[step](details);
}

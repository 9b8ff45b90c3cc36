#!/bin/sh
# Init hook of the `docker` image variant (/etc/boxlab/init.d/50-dockerd, run by init.sh in the background
# once the system is up): starts Debian's dockerd 20.10 next to boxlabd for the multi-node chapters (a
# Swarm cluster, overlay networks = VXLAN between the VMs). dockerd starts its own containerd; its state is
# /var/lib/docker, bind-mounted from the data disk (/etc/boxlab/persist). boxlabd's bridge boxlab0 takes
# 172.17.0.0/16 when its first container starts, so /etc/docker/daemon.json gives docker0 172.18.0.1/16 and
# local networks 172.19.x.0/24. It starts after boxlabd is ready (boxlabd's ready time stays as it was).
# BOXLAB-DOCKERD-READY on the console (and /run/boxlab/dockerd-ready) once `docker info` answers.
now() { cut -d' ' -f1 /proc/uptime; }
for m in $(sed 's/#.*//' /etc/boxlab/docker-modules); do modprobe "$m"; done
# the docker CLI's default socket is /var/run/docker.sock
[ -e /var/run ] || ln -s /run /var/run
# forwarding on before dockerd looks: it then leaves the FORWARD policy at ACCEPT (it sets DROP when it has
# to turn forwarding on itself), so boxlabd's containers keep their network
sysctl -qw net.ipv4.ip_forward=1
i=0; while [ ! -e /run/boxlab/ready ] && [ $i -lt 3000 ]; do sleep 0.1; i=$((i+1)); done
echo "BOXLAB-DOCKERD-START $(now)" > /dev/ttyS0
# the VM is offline (lab images come from boxlabd, ADR 0018): a Swarm task's agent would first try to pull
# its image from a registry and sit in "Preparing" until the lookup times out (minutes under TCG, for every
# task of every update); DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 makes it use the local image when there is one
start_dockerd() {
  DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 setsid dockerd -H unix:///var/run/docker.sock --data-root /var/lib/docker >> /var/log/dockerd.log 2>&1 < /dev/null &
  pid=$!
}
start_dockerd
# no short cap: under TCG dockerd's first start (containerd, the data root, iptables chains) is slow. On a
# loaded host dockerd gives up on its own containerd ("timeout waiting for containerd to start") and exits:
# it is started again (at most 3 times), which then finds containerd up
i=0; restarts=0
until docker -H unix:///var/run/docker.sock info > /dev/null 2>&1; do
  if [ $i -ge 1500 ]; then { echo "BOXLAB-DOCKERD-FAILED"; tail -n 20 /var/log/dockerd.log; } > /dev/ttyS0; exit 1; fi
  if ! kill -0 "$pid" 2>/dev/null && [ $restarts -lt 3 ]; then
    restarts=$((restarts+1)); echo "BOXLAB-DOCKERD-RESTART $restarts $(now)" > /dev/ttyS0; start_dockerd
  fi
  sleep 0.2; i=$((i+1))
done
touch /run/boxlab/dockerd-ready
echo "BOXLAB-DOCKERD-READY $(now)" > /dev/ttyS0

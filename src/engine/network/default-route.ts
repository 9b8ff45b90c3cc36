// Which of a container's networks gives it its default route (the gateway of the bridge). Like dockerd
// 20.10 (checked against it): a container on an --internal network alone still gets the default route via
// that bridge (the host answers on its addresses, the FORWARD rules drop the rest), but when it is also on
// a normal network the default route goes through the normal one, so the container can reach the outside.
type Net = { Internal?: boolean };

/** docker run/start with several networks: the first network that is not internal, else the first */
export function defaultRouteIndex(nets: Net[]): number {
  const i = nets.findIndex((n) => !n.Internal);
  return i === -1 ? 0 : i;
}

/** docker network connect on a running container: the new network takes the route over only from internal ones */
export function takesDefaultRoute(added: Net, current: Net[]): boolean {
  return !added.Internal && current.length > 0 && current.every((n) => n.Internal);
}

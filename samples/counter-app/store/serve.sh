#!/bin/sh
# one connection at a time: read a line, add one to /data/count, answer with the new value
touch /data/count
while true; do
  nc -l -p 6379 -e sh -c 'read cmd; n=$(( $(cat /data/count 2>/dev/null || echo 0) + 1 )); echo $n > /data/count; echo $n'
done

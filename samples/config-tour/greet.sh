#!/bin/sh
echo "$(cat /srv/greeting.txt), $1 (from $(whoami) in $(pwd))"

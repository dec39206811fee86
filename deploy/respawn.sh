#!/bin/sh
# Runs a process of deploy/Procfile again 5 s after it stops, instead of letting it end.
#
# Under honcho (`make prod`) one process that stops makes honcho stop all of them: Celery's beat
# and worker stop when Redis goes away for a few seconds (beat keeps its lock and schedule
# there; the worker's reconnection can fail), and that took the whole site down with them
# (found by `make bench-load-faults`). A TERM from honcho or systemd goes to the whole process
# group, this loop included, so stopping the service still stops everything.
while true; do
    "$@"
    echo "$1 stopped (exit $?); starting it again in 5 s"
    sleep 5
done

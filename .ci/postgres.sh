# shellcheck shell=bash
# Source this file to get a PostgreSQL server for the token/sqlstore tests:
#
#	source .ci/postgres.sh
#
# It installs PostgreSQL with apt when it is missing, starts a private
# server on 127.0.0.1 when none is running (no systemd needed), creates
# the role and database, and exports TOKENKIT_POSTGRES_DSN. Running it again
# reuses what is there. It returns non-zero, leaving the variable unset,
# when any step fails; the caller decides whether that is fatal.
#
# Knobs (environment, all optional):
#	TOKENKIT_PG_PORT  port on 127.0.0.1 (default 5433, so a system
#	                  PostgreSQL on 5432 is left alone)
#	TOKENKIT_PG_DIR   data directory (default /var/tmp/tokenkit-postgres); as
#	                  root, its parent must be open to the postgres user

tokenkit_pg_port="${TOKENKIT_PG_PORT:-5433}"
tokenkit_pg_dir="${TOKENKIT_PG_DIR:-/var/tmp/tokenkit-postgres}"

# The setup runs in a child bash, so that its strict mode applies even when
# the caller tests this file's status, and never leaks into the caller.
if [ "${TOKENKIT_PG_SETUP_CHILD:-}" = 1 ]; then
	set -euo pipefail
	port="$tokenkit_pg_port"
	dir="$tokenkit_pg_dir"
	cd /

	bindir() { find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1; }

	if [ -z "$(bindir)" ] || [ ! -x "$(bindir)/initdb" ]; then
		echo "postgres.sh: installing PostgreSQL" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -q >/dev/null
		apt-get install -y -q --no-install-recommends postgresql >/dev/null
	fi
	bin="$(bindir)"

	# The server runs as the postgres user when we are root (PostgreSQL
	# refuses to run as root), as ourselves otherwise.
	if [ "$(id -u)" = 0 ]; then
		owner=postgres
		as_owner() { runuser -u postgres -- "$@"; }
	else
		owner="$(id -un)"
		as_owner() { "$@"; }
	fi

	if [ ! -s "$dir/PG_VERSION" ]; then
		echo "postgres.sh: creating a cluster in $dir" >&2
		mkdir -p "$dir"
		chown "$owner" "$dir"
		chmod 700 "$dir"
		# The socket lives in the data directory (mode 700), so only its
		# owner can use it: trust there is safe. TCP needs the password.
		as_owner "$bin/initdb" -D "$dir" -U postgres --auth-local=trust \
			--auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
	fi

	if ! as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
		echo "postgres.sh: starting PostgreSQL on 127.0.0.1:$port" >&2
		as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
			-o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" \
			start >/dev/null || { tail -n 20 "$dir/server.log" >&2; exit 1; }
	fi
	# A server that was already starting may need a moment more.
	for _ in $(seq 30); do
		as_owner "$bin/pg_isready" -q -h "$dir" -p "$port" && break
		sleep 1
	done

	psql() { as_owner "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
	if [ "$(psql -c "SELECT 1 FROM pg_roles WHERE rolname = 'tokenkit'")" != 1 ]; then
		psql -c "CREATE ROLE tokenkit LOGIN PASSWORD 'tokenkit'"
	fi
	if [ "$(psql -c "SELECT 1 FROM pg_database WHERE datname = 'tokenkit'")" != 1 ]; then
		psql -c "CREATE DATABASE tokenkit OWNER tokenkit"
	fi
	exit 0
fi

if TOKENKIT_PG_SETUP_CHILD=1 TOKENKIT_PG_PORT="$tokenkit_pg_port" TOKENKIT_PG_DIR="$tokenkit_pg_dir" \
	bash "${BASH_SOURCE[0]}"; then
	export TOKENKIT_POSTGRES_DSN="postgres://tokenkit:tokenkit@127.0.0.1:${tokenkit_pg_port}/tokenkit?sslmode=disable"
	echo "postgres.sh: TOKENKIT_POSTGRES_DSN=$TOKENKIT_POSTGRES_DSN" >&2
	unset tokenkit_pg_port tokenkit_pg_dir
else
	echo "postgres.sh: could not set up PostgreSQL" >&2
	unset tokenkit_pg_port tokenkit_pg_dir
	# Sourced: return to the caller; run directly: exit.
	return 1 2>/dev/null || exit 1
fi

#!/bin/bash
# bash completion (docs/pimctl.bash-completion): sourced into bash, it
# completes the commands of pimctl's command table, each command's own
# options and the global ones, the actions of mfa and review, and role
# names from the server with the connection options on the line.
. "$(dirname "$0")/lib.sh"
pim_setup completion

COMPLETION=$PIM_TOP_SRCDIR/docs/pimctl.bash-completion
CONN="-H $URI -x -D $DEMO -w $DEMO_PW -b $BASE"

# comp WORD...: COMPREPLY for the command line WORD... (the last word is
# the one being completed), one per line, sorted
comp() {
	bash --norc --noprofile -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_pimctl "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]:-}"
		[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort' bash "$COMPLETION" "$PIMCTL" "$@"
}

bash --norc --noprofile -c '. "$1" && complete -p pimctl' bash "$COMPLETION" >"$T/complete.out" 2>&1
OUT=$(cat "$T/complete.out")
expect_out "^complete -F _pimctl pimctl$" "sourcing it registers _pimctl for pimctl"

# the commands: exactly the table's, as "pimctl help" lists them, and help
want=$( { "$PIMCTL" help | awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }'; echo help; } | sort)
check "every command" "$(printf '%s\n' "$want" | tr '\n' ' ')" "$(comp "" | tr '\n' ' ')"
check "commands starting with a" "activate alerts approve assign assignments audit " "$(comp a | tr '\n' ' ')"
check "re" "requests review reviews " "$(comp re | tr '\n' ' ')"
check "after global options" "roles " "$(comp -H "$URI" -x rol | tr '\n' ' ')"
check "help's argument is a command" "deactivate deny " "$(comp help de | tr '\n' ' ')"

# options: the command's own and the global ones
check "activate --d" "--duration " "$(comp activate --d | tr '\n' ' ')"
OUT=$(comp activate --)
expect_out "^--reason$" "activate has --reason"
expect_out "^--otp$" "activate has --otp"
expect_out "^--no-referrals$" "and the global --no-referrals"
printf '%s\n' "$OUT" | grep -qx -- "--csv" && fail "activate offers --csv" || pass "activate does not offer --csv"
check "roles --" "--all --csv --dn --for --help --json --no-referrals --version " "$(comp roles -- | tr '\n' ' ')"
check "mfa enroll --" "--ascii --base --help --no-qr --no-referrals --qr --version " "$(comp mfa enroll -- | tr '\n' ' ')"
OUT=$(comp -)
expect_out "^-H$" "the global -H"
expect_out "^-o$" "the global -o"
check "-o's argument" "nettimeout= " "$(comp -o n | tr '\n' ' ')"
check "nothing for an option's argument (--reason)" "" "$(comp activate X --reason "" | tr '\n' ' ')"

# actions
check "mfa's actions" "enroll remove status " "$(comp mfa "" | tr '\n' ' ')"
check "review's actions starting with s" "set show stop " "$(comp review s | tr '\n' ' ')"
check "policy's actions" "set show " "$(comp policy "" | tr '\n' ' ')"

# role names from the server, with the options on the line
expect_rc 0 "demo made eligible" as admin pimctl assign --eligible demo "User Administrator"
check "activate's role, from the server" 'User\ Administrator ' "$(comp $CONN activate U | tr '\n' ' ')"
check "deactivate, every role" 'User\ Administrator ' "$(comp $CONN deactivate "" | tr '\n' ' ')"
check "--role's argument" 'User\ Administrator ' "$(comp $CONN approve X --role "" | tr '\n' ' ')"
check "no role that does not match" "" "$(comp $CONN activate Z | tr '\n' ' ')"
check "-W on the line: no prompt, no roles" "" "$(comp -H "$URI" -x -D "$DEMO" -W activate U | tr '\n' ' ')"
t0=$(date +%s)
check "an unreachable server: nothing" "" "$(comp -H ldap://127.0.0.1:1/ -x activate U | tr '\n' ' ')"
[ $(( $(date +%s) - t0 )) -le 4 ] && pass "within the timeout" || fail "completion took $(( $(date +%s) - t0 )) s"

pim_done

#!/usr/bin/env bash
# Generates the alanine dipeptide (ACE-ALA-NME) data set: Langevin dynamics in vacuum with GROMACS and the
# AMBER99SB-ILDN force field at several temperatures, then descriptors and potential energies per frame.
#
#   bash generate.sh            # everything: structure, minimisation, the runs, the data set
#   bash generate.sh dataset    # only the last step, from the runs already in $WORK
#
# Needs GROMACS (Debian 12: apt-get install gromacs, which brings the force fields in gromacs-data), python3 for the
# starting structure, and the .NET SDK for the last step. Every run uses one thread at nice 10. Steps whose output
# exists (em.gro, a run's final .gro, its energy table) are not repeated, so the script can be restarted after an
# interruption; $WORK/commands.log collects every command run in $WORK, in order, over all invocations.
#
# Output: alanine-dipeptide.npz and alanine-dipeptide.json next to this script (committed); the GROMACS files go to
# $WORK (default ./work, not committed).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="${WORK:-$HERE/work}"
# Temperature (K) and length (ns) of each run; lower temperatures cross the C7eq/C7ax barrier less often, so they run longer.
RUNS="${RUNS:-400:90 500:100 550:70 625:50 725:40}"
# Frames of the data set: every STRIDE-th frame of the 1 ps trajectory.
STRIDE="${STRIDE:-20}"
GMX="${GMX:-gmx}"

mkdir -p "$WORK"
cd "$WORK"
LOG="$WORK/commands.log"

run() {
    printf '%s\n' "$*" >> "$LOG"
    "$@"
}

simulate() {
    "$GMX" --version 2>/dev/null | sed -n 's/^GROMACS version: *//p' > gromacs-version.txt
    if [[ ! -f em.gro ]]; then
        run python3 "$HERE/build_structure.py" start.pdb
        run "$GMX" pdb2gmx -f start.pdb -o conf.gro -p topol.top -ignh -ff amber99sb-ildn -water none > pdb2gmx.log 2>&1
        run "$GMX" editconf -f conf.gro -o box.gro -box 6 6 6 -c > editconf.log 2>&1
        run "$GMX" grompp -f "$HERE/em.mdp" -c box.gro -p topol.top -o em.tpr -po em-out.mdp > grompp-em.log 2>&1
        run nice -n 10 "$GMX" mdrun -nt 1 -deffnm em > mdrun-em.log 2>&1
    fi

    for entry in $RUNS; do
        local temperature="${entry%%:*}" nanoseconds="${entry##*:}"
        local name="T${temperature}"
        if [[ ! -f "$name.gro" ]]; then
            local steps=$((nanoseconds * 500000))
            sed -e "s/@TEMPERATURE@/$temperature/g" -e "s/@NSTEPS@/$steps/" -e "s/@SEED@/$temperature/g" \
                "$HERE/md.mdp.in" > "$name.mdp"
            run "$GMX" grompp -f "$name.mdp" -c em.gro -p topol.top -o "$name.tpr" -po "$name-out.mdp" > "grompp-$name.log" 2>&1
            echo "$name: $nanoseconds ns, started $(date -u +%FT%TZ)"
            run nice -n 10 "$GMX" mdrun -nt 1 -deffnm "$name" > "mdrun-$name.log" 2>&1
            grep '^Performance:' "$name.log" | awk -v n="$name" '{print n ": " $2 " ns/day"}'
        fi
        if [[ ! -f "$name-energy.xvg" ]]; then
            echo Potential | run "$GMX" energy -f "$name.edr" -o "$name-energy.xvg" > "energy-$name.log" 2>&1
        fi
    done
}

dataset() {
    dotnet run -c Release --project "$HERE/../DataTool" -- \
        --work "$WORK" --runs "$RUNS" --stride "$STRIDE" --mdp "$HERE/md.mdp.in" \
        --out "$HERE/alanine-dipeptide.npz" --provenance "$HERE/alanine-dipeptide.json"
}

case "${1:-all}" in
    all) simulate; dataset ;;
    simulate) simulate ;;
    dataset) dataset ;;
    *) echo "usage: generate.sh [all|simulate|dataset]" >&2; exit 2 ;;
esac

#!/usr/bin/env python3
"""Writes the heavy atoms of ACE-ALA-NME (alanine dipeptide) as a PDB file, built from internal coordinates.

Each atom is placed from three already placed atoms (A, B, C) by its bond length |CD|, bond angle B-C-D and dihedral
A-B-C-D (the natural-extension reference frame construction). Bond lengths and angles are standard peptide values;
the backbone starts in the C7eq basin (phi = -80, psi = 75 degrees) with trans peptide bonds. Hydrogens are added
by pdb2gmx. Standard library only.

usage: python3 build_structure.py out.pdb
"""
import math
import sys


def sub(a, b):
    return [a[i] - b[i] for i in range(3)]


def cross(a, b):
    return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]


def unit(a):
    n = math.sqrt(sum(x * x for x in a))
    return [x / n for x in a]


def place(a, b, c, bond, angle, dihedral):
    """Position of D with |CD| = bond (angstrom), angle BCD and dihedral ABCD (degrees)."""
    theta, phi = math.radians(angle), math.radians(dihedral)
    d2 = [-bond * math.cos(theta), bond * math.sin(theta) * math.cos(phi), bond * math.sin(theta) * math.sin(phi)]
    bc = unit(sub(c, b))
    n = unit(cross(sub(b, a), bc))
    m = cross(n, bc)
    return [c[i] + d2[0] * bc[i] + d2[1] * m[i] + d2[2] * n[i] for i in range(3)]


PHI, PSI, OMEGA = -80.0, 75.0, 180.0
atoms = {}
atoms["ACE CH3"] = [0.0, 0.0, 0.0]
atoms["ACE C"] = [1.52, 0.0, 0.0]
atoms["ALA N"] = [1.52 - 1.33 * math.cos(math.radians(116.2)), 1.33 * math.sin(math.radians(116.2)), 0.0]
atoms["ALA CA"] = place(atoms["ACE CH3"], atoms["ACE C"], atoms["ALA N"], 1.46, 121.7, OMEGA)
atoms["ALA C"] = place(atoms["ACE C"], atoms["ALA N"], atoms["ALA CA"], 1.52, 111.2, PHI)
atoms["NME N"] = place(atoms["ALA N"], atoms["ALA CA"], atoms["ALA C"], 1.33, 116.2, PSI)
atoms["NME CH3"] = place(atoms["ALA CA"], atoms["ALA C"], atoms["NME N"], 1.46, 121.7, OMEGA)
# Carbonyl oxygens lie in the peptide plane, cis to the next residue's alpha carbon.
atoms["ACE O"] = place(atoms["ALA CA"], atoms["ALA N"], atoms["ACE C"], 1.23, 123.0, 0.0)
atoms["ALA O"] = place(atoms["NME CH3"], atoms["NME N"], atoms["ALA C"], 1.23, 123.0, 0.0)
# L-alanine: improper N-C-CA-CB of +122.7 degrees.
atoms["ALA CB"] = place(atoms["ALA N"], atoms["ALA C"], atoms["ALA CA"], 1.53, 110.1, 122.7)

order = [("ACE", 1, ["CH3", "C", "O"]), ("ALA", 2, ["N", "CA", "CB", "C", "O"]), ("NME", 3, ["N", "CH3"])]
lines = ["REMARK   ACE-ALA-NME heavy atoms from internal coordinates (phi %.0f, psi %.0f)" % (PHI, PSI)]
serial = 0
for residue, number, names in order:
    for name in names:
        serial += 1
        x, y, z = atoms[residue + " " + name]
        element = name[0]
        lines.append("ATOM  %5d %-4s %3s A%4d    %8.3f%8.3f%8.3f  1.00  0.00          %2s"
                     % (serial, (" " + name) if len(name) < 4 else name, residue, number, x, y, z, element))
lines.append("END")
with open(sys.argv[1], "w", encoding="ascii") as f:
    f.write("\n".join(lines) + "\n")

#!/usr/bin/env python3
"""Computes the draw protocols' test vectors (docs/fd1.md, docs/fd2.md) with Python's standard library only.

This is a third, independent implementation of the protocols. For each protocol P in fd1, fd2 it writes
data/fixtures/P/vectors.json (hashes, digests, quotas, keys, picks, teams for several small draws) and the
published files of each draw: fd1's six files under data/fixtures/fd1/draws/<name>/; for fd2 the auditor
package (the six files, fd2 manifest) under data/fixtures/fd2/draws/<name>/auditor/ and the public package
(public manifest, selected.csv) under data/fixtures/fd2/draws/<name>/public/. The TypeScript library, the SQL
draw and the verifier must reproduce them exactly. Run by hand when the vectors need to change:

    python3 scripts/draw-vectors.py
"""
import hashlib
import json
import os
import random

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
FIXTURES = os.path.join(ROOT, 'data', 'fixtures')


def H(text):
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


def utf8(text):
    return text.encode('utf-8')


def ceil_div(a, b):
    return -(-a // b)


def population_digest(pairs, salt=''):
    for s, i in pairs:
        assert '\t' not in s + i and '\n' not in s + i
    seen = {}
    for s, i in pairs:
        if i in seen:
            raise ValueError('duplicate id or id in two strata: ' + i)
        seen[i] = s
    ordered = sorted(pairs, key=lambda p: (utf8(p[0]), utf8(p[1])))
    return H(salt + ''.join(s + '\t' + i + '\n' for s, i in ordered))


def is_confidential(stratum):
    """fd2 section 2: a stratum label that depends on a risk tier (A..D alone or joined with anything)."""
    return stratum.split('|')[0] in ('A', 'B', 'C', 'D')


def quota(eligible, spec):
    if 'count' in spec:
        return min(eligible, spec['count'])
    bp = spec['ratio_bp']
    if eligible == 0 or bp == 0:
        return 0
    return min(eligible, max(1, ceil_div(bp * eligible, 10000)))


def object_key(protocol, seed, task_id, stratum, object_id):
    return H(protocol + '|' + seed + '|' + task_id + '|' + stratum + '|' + object_id)


def inspector_key(protocol, seed, task_id, object_id, inspector_id):
    return H(protocol + '|' + seed + '|' + task_id + '|insp|' + object_id + '|' + inspector_id)


def select(protocol, seed, task_id, population, strata):
    by_stratum = {spec['stratum']: [] for spec in strata}
    for s, i in population:
        by_stratum[s].append(i)
    out_strata = []
    selection = []
    for spec in strata:
        s = spec['stratum']
        ids = by_stratum[s]
        k = quota(len(ids), spec)
        entry = {'stratum': s, 'eligible': len(ids)}
        entry.update({key: spec[key] for key in ('ratio_bp', 'count') if key in spec})
        entry['quota'] = k
        out_strata.append(entry)
        keyed = sorted((object_key(protocol, seed, task_id, s, i), i) for i in ids)
        for rank, (key, i) in enumerate(keyed[:k], start=1):
            selection.append({'stratum': s, 'id': i, 'key': key, 'rank': rank})
    selection.sort(key=lambda r: (utf8(r['stratum']), r['rank']))
    draw_order = [r['id'] for r in sorted(selection, key=lambda r: (r['key'], utf8(r['stratum']), utf8(r['id'])))]
    return {'strata': out_strata, 'selection': selection, 'draw_order': draw_order}


def assign(protocol, seed, task_id, draw_order, team_spec, pools, exclusions, explicit_caps):
    """Section 5. A department that cannot get its full count for an object gets nobody for that object
    (no load is taken) and the object is recorded unstaffed for it. Load counts per inspector id."""
    m = len(draw_order)
    excluded = set((o, i) for o, i in exclusions)
    caps = []
    cap_of = {}
    for entry in team_spec:
        d, count = entry['department'], entry['count']
        pool_size = len(pools.get(d, []))
        default = 0 if pool_size == 0 else ceil_div(m * count, pool_size) + 1
        cap = explicit_caps.get(d, default) if explicit_caps else default
        assert cap >= default
        cap_of[d] = cap
        caps.append({'department': d, 'count': count, 'pool': pool_size, 'cap': cap})
    load = {}
    teams = []
    unstaffed = []
    for o in draw_order:
        team = set()
        for entry in team_spec:
            d, count = entry['department'], entry['count']
            pool = pools.get(d, [])
            eligible = [i for i in pool if (o, i) not in excluded and i not in team and load.get(i, 0) < cap_of[d]]
            if len(eligible) < count:
                unstaffed.append({'object_id': o, 'department': d, 'needed': count, 'available': len(eligible)})
                continue
            chosen = sorted((inspector_key(protocol, seed, task_id, o, i), i) for i in eligible)[:count]
            for ikey, i in chosen:
                teams.append({'object_id': o, 'department': d, 'inspector_id': i, 'ikey': ikey})
                team.add(i)
                load[i] = load.get(i, 0) + 1
    return {'teams': teams, 'unstaffed': unstaffed, 'caps': caps}


# ---- inputs -------------------------------------------------------------------------------------

def entity_id(region, n):
    """An 18-character, upper-case, USCC-shaped id (not a valid check digit: the protocol does not care)."""
    return '91' + region + ('%010d' % n)


def make_population(rng, tiers):
    """tiers: list of (stratum, region, size). Returns pairs in a shuffled order."""
    pairs = []
    serial = 1000
    for stratum, region, size in tiers:
        for _ in range(size):
            serial += rng.randint(1, 97)
            pairs.append((stratum, entity_id(region, serial)))
    rng.shuffle(pairs)
    return pairs


def make_draw(protocol, name, task_id, beacon, population, strata, team_spec, pools, exclusions, caps, times):
    """times: committed_at, drawn_at, and for fd2 beacon_due and beacon_recorded_at (ISO 8601, +08:00)."""
    secret = H(protocol + ' vectors: ' + name)  # a fixed 64-hex secret, so the vectors are reproducible
    seed = secret + '|' + beacon
    picks = select(protocol, seed, task_id, population, strata)
    teams = assign(protocol, seed, task_id, picks['draw_order'], team_spec, pools, exclusions, caps)
    salted = protocol == 'fd2' and any(is_confidential(spec['stratum']) for spec in strata)
    draw = {
        'name': name,
        'task_id': task_id,
        'secret': secret,
        'commitment': H(secret),
        'beacon': beacon,
        'seed': seed,
        'population': [list(p) for p in population],
        'population_digest': population_digest(population, secret + '\n' if salted else ''),
        'strata': strata,
        'team_spec': team_spec,
        'pools': pools,
        'exclusions': [list(e) for e in exclusions],
        'caps': caps,
        'committed_at': times['committed_at'],
        'drawn_at': times['drawn_at'],
        'expected': picks,
        'expected_teams': teams,
    }
    if protocol == 'fd2':
        draw['digest'] = 'salted' if salted else 'plain'
        draw['beacon_source'] = times['beacon_source']
        draw['beacon_due'] = times['beacon_due']
        draw['beacon_recorded_at'] = times['beacon_recorded_at']
        # Fictional audit chain heads: the protocol only carries them (fd2 section 7).
        draw['audit_heads'] = {'commit': {'seq': 17, 'hash': H(name + ' head 17')},
                               'draw': {'seq': 23, 'hash': H(name + ' head 23')}}
    return draw


def fd2_times(committed_at, beacon_due, beacon_recorded_at, drawn_at, source):
    return {'committed_at': committed_at, 'beacon_due': beacon_due, 'beacon_recorded_at': beacon_recorded_at,
            'drawn_at': drawn_at, 'beacon_source': source}


def draw_tiers(protocol):
    rng = random.Random(20250301)
    population = make_population(rng, [('A', '440300', 24), ('B', '440300', 21), ('C', '440300', 11), ('D', '440300', 4)])
    strata = [{'stratum': 'A', 'ratio_bp': 300}, {'stratum': 'B', 'ratio_bp': 500},
              {'stratum': 'C', 'ratio_bp': 1000}, {'stratum': 'D', 'ratio_bp': 3000}]
    pools = {'SAMR': ['SZ-SAMR-%03d' % n for n in (3, 7, 11, 12, 19, 23)]}
    ids = sorted(i for _, i in population)
    exclusions = [(ids[0], 'SZ-SAMR-007'), (ids[5], 'SZ-SAMR-011'), (ids[9], 'SZ-SAMR-003')]
    times = fd2_times('2025-03-01T09:30:00.000+08:00', '2025-03-03T15:00:00.000+08:00', '2025-03-03T15:02:10.000+08:00',
                      '2025-03-03T15:05:00.000+08:00', '上证综合指数收盘价 / SSE Composite Index close, 2025-03-03')
    return make_draw(protocol, 'tiers', 'T-2025-0001', 'SSE Composite Index close 2025-03-03: 3316.11',
                     population, strata, [{'department': 'SAMR', 'count': 2}], pools, exclusions, None, times)


def draw_joint(protocol):
    rng = random.Random(440300)
    population = make_population(rng, [('D|440300', '440304', 9), ('C|440300', '440305', 14),
                                       ('D|440100', '440104', 7), ('C|440100', '440106', 12)])
    strata = [{'stratum': 'D|440300', 'ratio_bp': 5000}, {'stratum': 'C|440300', 'ratio_bp': 2000},
              {'stratum': 'D|440100', 'ratio_bp': 5000}, {'stratum': 'C|440100', 'ratio_bp': 2000}]
    team_spec = [{'department': 'SAMR', 'count': 2}, {'department': 'HEALTH', 'count': 1}]
    # GD-X-001 sits in both pools: the "not already on this object's team" rule matters here.
    pools = {'SAMR': ['GD-S-001', 'GD-S-002', 'GD-S-003', 'GD-S-004', 'GD-X-001'],
             'HEALTH': ['GD-H-001', 'GD-H-002', 'GD-X-001']}
    beacon = 'SZSE Component Index close 2025-04-07: 9364.75'
    selected = select(protocol, H(protocol + ' vectors: joint') + '|' + beacon, 'T-2025-0042', population, strata)['draw_order']
    # Previous inspectors and declared conflicts of the first objects drawn, so exclusions bite.
    exclusions = [(selected[0], 'GD-S-001'), (selected[0], 'GD-S-002'), (selected[0], 'GD-H-001'),
                  (selected[1], 'GD-X-001'), (selected[2], 'GD-H-002'), (selected[2], 'GD-S-003'),
                  (selected[3], 'GD-H-001'), (selected[3], 'GD-H-002')]
    times = fd2_times('2025-04-03T10:00:00.000+08:00', '2025-04-07T15:00:00.000+08:00', '2025-04-07T15:00:00.000+08:00',
                      '2025-04-07T15:10:00.000+08:00', '深证成份指数收盘价 / SZSE Component Index close, 2025-04-07')
    return make_draw(protocol, 'joint', 'T-2025-0042', beacon, population, strata, team_spec, pools, exclusions, None, times)


def draw_edges(protocol):
    rng = random.Random(7)
    population = make_population(rng, [('A', '440100', 30), ('B', '440100', 3), ('C', '440100', 5), ('D', '440100', 2)])
    # B asks for more than it has; C has bp 0; D takes everything; E is listed but has nobody eligible.
    strata = [{'stratum': 'A', 'count': 4}, {'stratum': 'B', 'count': 10}, {'stratum': 'C', 'ratio_bp': 0},
              {'stratum': 'D', 'ratio_bp': 10000}, {'stratum': 'E', 'ratio_bp': 500}]
    team_spec = [{'department': 'SAMR', 'count': 2}, {'department': 'MEE', 'count': 1}]
    pools = {'SAMR': ['GZ-S-01', 'GZ-S-02', 'GZ-S-03'], 'MEE': []}
    seed = H(protocol + ' vectors: edges') + '|'
    selected = select(protocol, seed, 'T-2025-0100', population, strata)['draw_order']
    # Two of three SAMR inspectors excluded for the second object: it cannot get 2 (partial -> nobody).
    exclusions = [(selected[1], 'GZ-S-01'), (selected[1], 'GZ-S-03'), (selected[4], 'GZ-S-02')]
    return make_draw(protocol, 'edges', 'T-2025-0100', '', population, strata, team_spec, pools, exclusions,
                     {'SAMR': 9}, {'committed_at': '2025-05-06T08:00:00.000+08:00', 'drawn_at': '2025-05-06T08:00:05.000+08:00'})


def draw_caps(protocol):
    rng = random.Random(12345)
    population = make_population(rng, [('D', '441900', 16)])
    strata = [{'stratum': 'D', 'count': 12}]
    team_spec = [{'department': 'SAMR', 'count': 2}]
    pools = {'SAMR': ['DG-01', 'DG-02', 'DG-03', 'DG-04']}
    beacon = 'drand round 4821337'
    seed = H(protocol + ' vectors: caps') + '|' + beacon
    selected = select(protocol, seed, 'T-2025-0200', population, strata)['draw_order']
    # DG-01 and DG-02 excluded for most objects: DG-03 and DG-04 fill up to the cap (ceil(24/4)+1 = 7),
    # and the last objects run short.
    exclusions = [(o, i) for o in selected[:10] for i in ('DG-01', 'DG-02')]
    times = fd2_times('2025-06-02T09:00:00.000+08:00', '2025-06-09T14:00:00.000+08:00', '2025-06-09T14:30:00.000+08:00',
                      '2025-06-09T15:00:00.000+08:00', 'drand mainnet, first round at or after 2025-06-09T14:00+08:00')
    return make_draw(protocol, 'caps', 'T-2025-0200', beacon, population, strata, team_spec, pools, exclusions, None, times)


def draw_empty(protocol):
    strata = [{'stratum': 'A', 'ratio_bp': 300}]
    return make_draw(protocol, 'empty', 'T-2025-0300', 'rehearsal beacon', [], strata,
                     [{'department': 'SAMR', 'count': 2}], {'SAMR': ['X-1', 'X-2']}, [], None,
                     {'committed_at': '2025-07-01T09:00:00.000+08:00', 'drawn_at': '2025-07-01T09:01:00.000+08:00'})


def draw_whole(protocol):
    """fd2 only: one stratum ALL, not confidential: a plain digest, and the public manifest lists the stratum."""
    rng = random.Random(2026)
    population = make_population(rng, [('ALL', '440600', 40)])
    strata = [{'stratum': 'ALL', 'ratio_bp': 1000}]
    pools = {'SAMR': ['FS-01', 'FS-02', 'FS-03', 'FS-04', 'FS-05']}
    times = fd2_times('2026-03-02T09:00:00.000+08:00', '2026-03-02T15:00:00.000+08:00', '2026-03-02T15:03:00.000+08:00',
                      '2026-03-02T15:05:00.000+08:00', '上证综合指数收盘价 / SSE Composite Index close, 2026-03-02')
    return make_draw(protocol, 'whole', 'T-2026-0007', 'SSE Composite Index close 2026-03-02: 3350.12', population, strata,
                     [{'department': 'SAMR', 'count': 2}], pools, [], None, times)


# ---- published files (fd1 section 6; fd2 sections 3-5) ---------------------------------------------

def write_text(folder, name, text):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), 'w', encoding='utf-8', newline='') as f:
        f.write(text)


def csv(header, rows):
    return ''.join(','.join(r) + '\n' for r in [header] + rows)


def manifest_of(protocol, draw):
    if protocol == 'fd1':
        return {
            'protocol': 'fd1',
            'task_id': draw['task_id'],
            'commitment': draw['commitment'],
            'secret': draw['secret'],
            'beacon': draw['beacon'],
            'seed': draw['seed'],
            'population_digest': draw['population_digest'],
            'strata': draw['expected']['strata'],
            'teams': draw['expected_teams']['caps'],
            'committed_at': draw['committed_at'],
            'drawn_at': draw['drawn_at'],
        }
    return {
        'protocol': 'fd2',
        'package': 'auditor',
        'task_id': draw['task_id'],
        'commitment': draw['commitment'],
        'secret': draw['secret'],
        'beacon_source': draw['beacon_source'],
        'beacon_due': draw['beacon_due'],
        'beacon': draw['beacon'],
        'seed': draw['seed'],
        'digest': draw['digest'],
        'population_digest': draw['population_digest'],
        'strata': draw['expected']['strata'],
        'teams': draw['expected_teams']['caps'],
        'committed_at': draw['committed_at'],
        'beacon_recorded_at': draw['beacon_recorded_at'],
        'drawn_at': draw['drawn_at'],
        'audit_heads': draw['audit_heads'],
    }


def public_manifest_of(draw):
    """fd2 section 5, after the inspection window: totals over the confidential strata, the others listed."""
    strata = draw['expected']['strata']
    secret_strata = [s for s in strata if is_confidential(s['stratum'])]
    manifest = {
        'protocol': 'fd2',
        'package': 'public',
        'task_id': draw['task_id'],
        'commitment': draw['commitment'],
        'beacon_source': draw['beacon_source'],
        'beacon_due': draw['beacon_due'],
        'beacon': draw['beacon'],
        'digest': draw['digest'],
        'population_digest': draw['population_digest'],
    }
    if secret_strata:
        manifest['totals'] = {'eligible': sum(s['eligible'] for s in secret_strata), 'quota': sum(s['quota'] for s in secret_strata)}
    manifest['strata'] = [s for s in strata if not is_confidential(s['stratum'])]
    manifest['teams'] = draw['expected_teams']['caps']
    manifest['committed_at'] = draw['committed_at']
    manifest['beacon_recorded_at'] = draw['beacon_recorded_at']
    manifest['drawn_at'] = draw['drawn_at']
    manifest['audit_heads'] = draw['audit_heads']
    manifest['selected'] = len(draw['expected']['selection'])
    return manifest


def write_files(protocol, draw, folder):
    write_text(folder, 'manifest.json', json.dumps(manifest_of(protocol, draw), indent=2, ensure_ascii=False) + '\n')
    population = sorted(draw['population'], key=lambda p: (utf8(p[0]), utf8(p[1])))
    write_text(folder, 'population.csv', csv(['stratum', 'id'], population))
    inspectors = sorted(((d, i) for entry in draw['team_spec'] for d in [entry['department']]
                         for i in draw['pools'].get(d, [])), key=lambda p: (utf8(p[0]), utf8(p[1])))
    write_text(folder, 'inspectors.csv', csv(['department', 'inspector_id'], [list(p) for p in inspectors]))
    exclusions = sorted(set(tuple(e) for e in draw['exclusions']), key=lambda p: (utf8(p[0]), utf8(p[1])))
    write_text(folder, 'exclusions.csv', csv(['object_id', 'inspector_id'], [list(p) for p in exclusions]))
    write_text(folder, 'selection.csv', csv(['stratum', 'id', 'key', 'rank'],
                                            [[r['stratum'], r['id'], r['key'], str(r['rank'])] for r in draw['expected']['selection']]))
    write_text(folder, 'teams.csv', csv(['object_id', 'department', 'inspector_id'],
                                        [[t['object_id'], t['department'], t['inspector_id']] for t in draw['expected_teams']['teams']]))


def write_public_files(draw, folder):
    write_text(folder, 'manifest.json', json.dumps(public_manifest_of(draw), indent=2, ensure_ascii=False) + '\n')
    ids = sorted((r['id'] for r in draw['expected']['selection']), key=utf8)
    write_text(folder, 'selected.csv', csv(['id'], [[i] for i in ids]))


def vectors_of(protocol):
    texts = ['', 'abc', 'fd1', '深圳市市场监督管理局', 'emoji 😀 outside the BMP']
    sha256 = [{'text': t, 'hex': H(t)} for t in texts]

    digest_cases = [
        [],
        [('B', 'X2'), ('A', 'X9'), ('A', 'X1')],
        # UTF-8 byte order: 'Z' < 'a' < 'é' (U+00E9) < 'Ａ' (U+FF21) < '😀' (U+1F600); 'D' < 'D|440100'.
        [('D|440100', 'Ａ1'), ('D', '😀'), ('D', 'é'), ('D', 'a'), ('D', 'Z'), ('D', 'Ａ')],
    ]
    digests = [{'pairs': [list(p) for p in pairs], 'digest': population_digest(pairs)} for pairs in digest_cases]
    if protocol == 'fd2':
        salt_secret = H('fd2 vectors: salt')
        for entry, pairs in zip(digests, digest_cases):
            entry['secret'] = salt_secret
            entry['salted_digest'] = population_digest(pairs, salt_secret + '\n')

    quota_cases = [
        (0, {'ratio_bp': 300}), (1, {'ratio_bp': 0}), (1, {'ratio_bp': 1}), (1, {'ratio_bp': 10000}),
        (7, {'ratio_bp': 300}), (33, {'ratio_bp': 300}), (34, {'ratio_bp': 300}), (100, {'ratio_bp': 300}),
        (101, {'ratio_bp': 300}), (10000, {'ratio_bp': 1}), (10001, {'ratio_bp': 1}), (3, {'ratio_bp': 10000}),
        (18_000_000, {'ratio_bp': 300}), (18_000_000, {'ratio_bp': 9999}), (17_999_999, {'ratio_bp': 9999}),
        (18_000_001, {'ratio_bp': 3333}), (123_456_789_012, {'ratio_bp': 1}), (900_719_925_474, {'ratio_bp': 10000}),
        (900_719_925_473, {'ratio_bp': 9999}),
        (0, {'count': 5}), (3, {'count': 5}), (5, {'count': 5}), (9, {'count': 0}), (18_000_000, {'count': 1000}),
    ]
    quotas = []
    for n, spec in quota_cases:
        entry = {'eligible': n}
        entry.update(spec)
        entry['quota'] = quota(n, spec)
        quotas.append(entry)

    seed = H('fd1 vectors: keys') + '|CSI 300 close 2025-01-02: 3820.41'
    keys = [{'seed': seed, 'task_id': 'T-1', 'stratum': s, 'id': i, 'key': object_key(protocol, seed, 'T-1', s, i)}
            for s, i in [('A', '91440300MA5F000001'), ('D|440300', '91440300MA5F000001'), ('C', 'é')]]
    ikeys = [{'seed': seed, 'task_id': 'T-1', 'object_id': o, 'inspector_id': i,
              'ikey': inspector_key(protocol, seed, 'T-1', o, i)}
             for o, i in [('91440300MA5F000001', 'SZ-SAMR-003'), ('91440300MA5F000002', 'SZ-SAMR-003')]]

    if protocol == 'fd1':
        draws = [draw_tiers('fd1'), draw_joint('fd1'), draw_edges('fd1'), draw_caps('fd1'), draw_empty('fd1')]
    else:
        # fd2 has no rehearsal without a beacon (edges) and no empty draw: a commit needs an eligible population.
        draws = [draw_tiers('fd2'), draw_joint('fd2'), draw_caps('fd2'), draw_whole('fd2')]
    return {
        'protocol': protocol,
        'generated_by': 'scripts/draw-vectors.py (Python standard library only)',
        'sha256': sha256,
        'digests': digests,
        'quotas': quotas,
        'keys': keys,
        'ikeys': ikeys,
        'draws': draws,
    }


def main():
    for protocol in ('fd1', 'fd2'):
        out_dir = os.path.join(FIXTURES, protocol)
        vectors = vectors_of(protocol)
        write_text(out_dir, 'vectors.json', json.dumps(vectors, indent=2, ensure_ascii=False) + '\n')
        for draw in vectors['draws']:
            folder = os.path.join(out_dir, 'draws', draw['name'])
            if protocol == 'fd1':
                write_files(protocol, draw, folder)
            else:
                write_files(protocol, draw, os.path.join(folder, 'auditor'))
                write_public_files(draw, os.path.join(folder, 'public'))
            t = draw['expected_teams']
            print('%s %-6s population %3d, selected %2d, team rows %2d, unstaffed %d, caps %s' % (
                protocol, draw['name'], len(draw['population']), len(draw['expected']['selection']), len(t['teams']),
                len(t['unstaffed']), ', '.join('%s=%d' % (c['department'], c['cap']) for c in t['caps'])))


if __name__ == '__main__':
    main()

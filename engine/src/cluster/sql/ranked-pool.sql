-- One department's pool ranked by ikey for the object `id`, its first $depth members comma-joined.
arrayStringConcat(arraySlice(arraySort(inspector -> SHA256(concat($protocol, '|', $seed, '|', $taskId, '|insp|', id, '|', inspector)), $pool), 1, $depth), ',')

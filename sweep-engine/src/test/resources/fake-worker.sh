#!/usr/bin/env bash
# A stand-in for `robustsweep train --trial FILE --out DIR` in engine tests: behaves by the trial's
# method_name (crash: dies by SIGSEGV; hang: never ends; fail: exit 1; nan: diverged result),
# else prints progress and writes a completed result.json by rename, as the real worker does.
trial="$2"; out="$4"
field() { grep -o "\"$1\" *: *\"[^\"]*\"" "$trial" | head -1 | sed 's/.*"\([^"]*\)"$/\1/'; }
id=$(field trial_id); name=$(field method_name); task=$(field name)
echo "@trial-start {\"trial_id\": \"$id\", \"pid\": $$}"
echo "threads=${OMP_NUM_THREADS:-unset} cuda=[${CUDA_VISIBLE_DEVICES-unset}]"
case "$name" in
  *crash*) kill -SEGV $$ ;;
  *hang*) exec sleep 600 ;;
  *fail*) echo "boom: something broke"; exit 1 ;;
esac
for s in 1 2 3; do
  echo "@progress {\"epoch\": 1, \"epochs\": 1, \"step\": $s, \"total_steps\": 3, \"loss\": 0.$s}"
  sleep "${FAKE_STEP_SECONDS:-0.05}"
done
status=completed; [[ $name == *nan* ]] && status=diverged
acc="0.$(( ${#id} % 9 + 1 ))"
printf '{"schema":"robustsweep.result/1","trial_id":"%s","status":"%s","task":"%s","method":"%s","metrics":{"accuracy":%s,"nll":0.5},"timings":{"train_s":0.1,"eval_s":0.05},"trial":{},"tool_version":"fake","seeds":{},"checksums":{}}\n' "$id" "$status" "$task" "$name" "$acc" > "$out/.result.json.tmp"
mv "$out/.result.json.tmp" "$out/result.json"

"""Regenerates llm_adapters_prompts.json by executing the authors' own generate_prompt functions.

Usage: python3 make_prompt_fixture.py FINETUNE_PY COMMONSENSE_EVALUATE_PY > llm_adapters_prompts.json
(the files of github AGI-Edgerunners/LLM-Adapters @ 8166572, identical in LCS2-IIITD/MonteCLoRA @ 0cd4a77).
Only the function definitions are taken from each file (via ast) and run; the outputs are the fixture.
"""
import ast
import json
import sys


def load_function(path, name):
    source = open(path, encoding="utf-8").read()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            namespace = {}
            exec(compile(ast.Module(body=[node], type_ignores=[]), path, "exec"), namespace)
            return namespace[name]
    raise SystemExit(f"{path}: no function {name}")


train_prompt = load_function(sys.argv[1], "generate_prompt")
eval_prompt = load_function(sys.argv[2], "generate_prompt")
records = [
    {"instruction": "Please answer the following question with true or false, question: is the sky blue?\n\nAnswer format: true/false",
     "input": "", "output": "the correct answer is true", "answer": "true"},
    {"instruction": "Summarise the text.", "input": "Some context\nover two lines.", "output": "A summary.", "answer": ""},
]
cases = []
for r in records:
    cases.append({
        "record": r,
        "training": train_prompt(r),
        "user": train_prompt({**r, "output": ""}),
        "evaluation": eval_prompt(r["instruction"]),
        "evaluation_with_input": eval_prompt(r["instruction"], r["input"]),
    })
json.dump(cases, sys.stdout, indent=1)
print()

# The alpaca template: alpaca-lora's templates/alpaca.json (github tloen/alpaca-lora @ 8bb8579), whose
# prompt_input / prompt_no_input are formatted the same way into alpaca_prompts.json when a third
# argument names that file:  python3 make_prompt_fixture.py F E ALPACA_JSON  (writes alpaca_prompts.json)
if len(sys.argv) > 3:
    template = json.load(open(sys.argv[3], encoding="utf-8"))
    alpaca = []
    for r in records:
        key = "prompt_input" if r["input"] else "prompt_no_input"
        alpaca.append({"record": r, "prompt": template[key].format(**r)})
    with open("alpaca_prompts.json", "w", encoding="utf-8") as f:
        json.dump(alpaca, f, indent=1)
        f.write("\n")

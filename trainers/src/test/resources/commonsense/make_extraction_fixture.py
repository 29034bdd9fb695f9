"""Regenerates answer_extraction.json by running the authors' own extract_answer and response split.

Usage: python3 make_extraction_fixture.py LLM_ADAPTERS_EVALUATE_PY MONTECLORA_EVALUATE_PY > answer_extraction.json
(commonsense_evaluate.py of github AGI-Edgerunners/LLM-Adapters @ 8166572 and LCS2-IIITD/MonteCLoRA @ 0cd4a77).
"""
import ast
import json
import re
import sys
import types


def load_function(path, name):
    source = open(path, encoding="utf-8").read()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            namespace = {"re": re}
            exec(compile(ast.Module(body=[node], type_ignores=[]), path, "exec"), namespace)
            return namespace[name]
    raise SystemExit(f"{path}: no function {name}")


llm_adapters = load_function(sys.argv[1], "extract_answer")
monteclora = load_function(sys.argv[2], "extract_answer")
sentences = {
    "boolq": ["the correct answer is true", "the correct answer is false", "True, it is", "Yes.", "no way", "nope",
              "it is not true but false", "falsehood", "untrue", "the answer: NO", "", "yesterday is true",
              "the correct answer is true true"],
    "piqa": ["the correct answer is solution2", "solution1 or solution2", "Solution1", "solution12", "none"],
    "social_i_qa": ["the correct answer is answer3", "answer5", "answer10", "Answer2", "answer"],
    "ARC-Easy": ["the correct answer is answer4", "answer2answer1"],
    "ARC-Challenge": ["the correct answer is answer1", "answer6"],
    "openbookqa": ["the correct answer is answer2", "answer 2"],
    "hellaswag": ["the correct answer is ending3", "ending5 ending4"],
    "winogrande": ["the correct answer is option2", "option3 option1", "Option1"],
}
cases = []
for dataset, items in sentences.items():
    for s in items:
        args = types.SimpleNamespace(dataset=dataset)
        cases.append({"dataset": dataset, "sentence": s,
                      "llm_adapters": llm_adapters(args, s), "monteclora": monteclora(args, s)})
decoded = ["prompt ### Response:\n                the correct answer is answer1",
           "prompt ### Response:  answer2 ### Response: answer3",
           "prompt ### Response:"]
splits = [{"decoded": d, "response": d.split("### Response:")[1].strip()} for d in decoded]
json.dump({"extract": cases, "response": splits}, sys.stdout, indent=1)
print()

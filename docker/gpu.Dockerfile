# RobustSweep GPU worker: CUDA 12.8 + JDK 17 + the tool's jar, on the libtorch of PyTorch 2.7.1 (cu128).
# UNTESTED ON GPUs (see docker/README.md). Build from the repository root after `mvn -B -DskipTests package`:
#   docker build -f docker/gpu.Dockerfile -t robustsweep-gpu .

# Stage 1: take libtorch (torch/lib) and the CUDA libraries it links (the nvidia-* wheels) from the
# official PyTorch 2.7.1 cu128 wheel. Their relative layout is kept: libtorch_cuda.so finds them via
# RPATH $ORIGIN/../../nvidia/*/lib.
FROM python:3.12-slim-bookworm AS libtorch
RUN pip install --no-cache-dir --target /opt/pytorch \
      --index-url https://download.pytorch.org/whl/cu128 torch==2.7.1 \
 && rm -rf /opt/pytorch/torch/include /opt/pytorch/torch/bin /opt/pytorch/torch/test

# Stage 2: CUDA base (the driver comes from the host: --gpus / apptainer --nv) + Java 17 runtime.
FROM nvidia/cuda:12.8.1-base-ubuntu22.04
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless=17.* \
 && rm -rf /var/lib/apt/lists/*
COPY --from=libtorch /opt/pytorch/torch/lib /opt/pytorch/torch/lib
COPY --from=libtorch /opt/pytorch/nvidia /opt/pytorch/nvidia
COPY sweep-engine/target/lib /opt/robustsweep/lib
COPY sweep-engine/target/robustsweep.jar /opt/robustsweep/robustsweep.jar
COPY docker/bin/robustsweep /usr/local/bin/robustsweep

# DJL: load this libtorch instead of the bundled CPU one, never download anything.
ENV PYTORCH_LIBRARY_PATH=/opt/pytorch/torch/lib \
    PYTORCH_VERSION=2.7.1 \
    PYTORCH_FLAVOR=cu128 \
    DJL_OFFLINE=true

# An unprivileged user; Slurm and Apptainer run the container as the submitting user anyway.
RUN useradd --create-home --uid 10001 robustsweep
USER robustsweep
ENTRYPOINT ["/usr/local/bin/robustsweep"]
CMD ["--help"]

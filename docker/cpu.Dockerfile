# RobustSweep CPU worker: JDK 17 + the tool's jar; libtorch comes from pytorch-native-cpu in lib/.
# Build from the repository root after `mvn -B -DskipTests package`:
#   docker build -f docker/cpu.Dockerfile -t robustsweep-cpu .
FROM eclipse-temurin:17-jre-jammy
COPY sweep-engine/target/lib /opt/robustsweep/lib
COPY sweep-engine/target/robustsweep.jar /opt/robustsweep/robustsweep.jar
COPY docker/bin/robustsweep /usr/local/bin/robustsweep

# DJL: the CPU libtorch bundled in the jar's dependencies, never download anything.
ENV PYTORCH_VERSION=2.7.1 \
    PYTORCH_FLAVOR=cpu \
    DJL_OFFLINE=true

RUN useradd --create-home --uid 10001 robustsweep
USER robustsweep
ENTRYPOINT ["/usr/local/bin/robustsweep"]
CMD ["--help"]

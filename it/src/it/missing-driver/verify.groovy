// generation fails at generate-sources, naming each missing driver where the configuration uses it
// and the artifact to add; the job class (compiled later, by javac) is not reported missing
String log = new File(basedir, 'build.log').text
assert log.contains("config.mirage:5:15: error: driver 'stack_http_server' needs class org.mirage4j.drivers.http.StackHttpServer, which is not on the classpath; add the dependency org.mirage4j:mirage4j-driver-http") : log
assert log.contains("config.mirage:5:27: error: driver 'socket_stack' needs class org.mirage4j.drivers.socket.SocketStack, which is not on the classpath; add the dependency org.mirage4j:mirage4j-driver-socket-stack") : log
assert log.contains('mirage:generate: 2 errors in config.mirage') : log
assert !log.contains('job class') : 'the project\'s own job reported missing'
assert !log.contains('--- compiler:') : 'the build went on to javac'
assert !log.contains('\tat ') : 'a stack trace in the log'
return true

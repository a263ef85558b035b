/**
 * The systems under test: the Stepcast gateway, the Netty ceiling and a Socket.IO peer, behind one interface.
 */
package io.stepcast.deploy.loadtest.sut;
